"""Fail when code outside toekomstplan/access.py decides access itself (part of `make lint`).

access.py is the one place that says who may see or do what. This check reads the syntax tree
of every other module of the package and reports three shapes that mean a decision was taken
somewhere else:

  ownership-compare   an instance's owner_id, author_id or user_id compared with anything
                      (`comment.author_id != user.id`): ask access.py (`belongs_to`, `can`,
                      `is_owner`). Class columns in queries (`Share.user_id == user.id`) are
                      filters, not decisions, and pass.
  current-user-id     the logged-in user's id compared with anything (`x == current_user.id`)
  abort-after-check   an `if` that tests ownership or permission (one of the shapes above, or
                      a call of is_owner, share_of, can, may_*, belongs_to) and then answers
                      404 or 403 at once (abort, raise NotFound): load the row with an
                      access.get_* helper, which refuses the same way everywhere.

Usage: python scripts/check_access.py [PACKAGE_DIR]   (exit 1 and one line per finding)
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

OWNERSHIP_ATTRS = frozenset({"owner_id", "author_id", "user_id"})
PERMISSION_CALLS = frozenset({"is_owner", "share_of", "can", "belongs_to", "can_see_media"})
EXEMPT = frozenset({"access.py"})  # or the access/ package, where the rules live


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    rule: str
    code: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: {self.code}"


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _is_instance_ownership(node: ast.AST) -> bool:
    """`comment.author_id`, not `Comment.author_id` (a column in a query)."""
    if not isinstance(node, ast.Attribute) or node.attr not in OWNERSHIP_ATTRS:
        return False
    root = _root_name(node.value)
    return root is None or not root[:1].isupper()


def _is_current_user_id(node: ast.AST) -> bool:
    if isinstance(node, ast.Call):
        node = node.func
    return (
        isinstance(node, ast.Attribute)
        and node.attr in ("id", "get_id")
        and _root_name(node) == "current_user"
    )


def _compare_rule(node: ast.Compare) -> str | None:
    sides = [node.left, *node.comparators]
    if any(_is_instance_ownership(side) for side in sides):
        return "ownership-compare"
    if any(_is_current_user_id(side) for side in sides):
        return "current-user-id"
    return None


def _is_permission_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in PERMISSION_CALLS or name.startswith("may_")


def _tests_access(test: ast.AST) -> bool:
    for node in ast.walk(test):
        if isinstance(node, ast.Compare) and _compare_rule(node):
            return True
        if _is_permission_call(node):
            return True
    return False


HTTP_REFUSALS = frozenset({"NotFound", "Forbidden", "Unauthorized", "HTTPException"})


def _call_name(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else None


def _aborts(statement: ast.stmt) -> bool:
    """`abort(404)`, `return abort(403)` or `raise NotFound()`: an HTTP refusal."""
    if isinstance(statement, ast.Raise):
        return _call_name(statement.exc) in HTTP_REFUSALS
    if isinstance(statement, ast.Expr | ast.Return):
        return _call_name(statement.value) == "abort"
    return False


def check_source(source: str, path: str = "<snippet>") -> list[Finding]:
    """Return what in `source` decides access outside access.py."""
    tree = ast.parse(source, filename=path)
    lines = source.splitlines()
    findings = []

    def add(node: ast.AST, rule: str) -> None:
        line = getattr(node, "lineno", 0)
        findings.append(Finding(path, line, rule, lines[line - 1].strip() if line else ""))

    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and (rule := _compare_rule(node)):
            add(node, rule)
        elif isinstance(node, ast.If) and node.body and _aborts(node.body[0]):
            if _tests_access(node.test):
                add(node, "abort-after-check")
    return findings


def check_tree(package: Path) -> list[Finding]:
    """Check every module of `package` but access.py."""
    findings = []
    for path in sorted(package.rglob("*.py")):
        if (path.name in EXEMPT and path.parent == package) or path.parent == package / "access":
            continue
        findings += check_source(path.read_text(encoding="utf-8"), str(path))
    return findings


def main(argv: list[str]) -> int:
    package = Path(argv[1] if len(argv) > 1 else Path(__file__).parent.parent / "toekomstplan")
    findings = check_tree(package)
    for finding in findings:
        print(finding)
    if findings:
        print(f"{len(findings)} place(s) decide access outside access.py: ask access.py instead.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
