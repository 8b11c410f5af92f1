"""scripts/check_access.py: code outside access.py that decides access itself fails the lint."""

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "check_access.py"


def _load_checker():
    spec = importlib.util.spec_from_file_location("check_access", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    # Registered before running, so its dataclasses can find their module.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


check_access = _load_checker()


def rules(source: str) -> list[str]:
    """Return the rule names the checker reports for `source`, sorted."""
    return sorted(f.rule for f in check_access.check_source(textwrap.dedent(source)))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            """
            if comment.author_id != current_user.id:
                abort(403)
            """,
            ["abort-after-check", "ownership-compare"],
            id="author-compared-with-current-user-then-403",
        ),
        pytest.param(
            """
            if access.is_owner(user, plan):
                abort(404)
            """,
            ["abort-after-check"],
            id="is-owner-then-404",
        ),
        pytest.param(
            "allowed = plan.owner_id == user.id\n",
            ["ownership-compare"],
            id="owner-id-compared",
        ),
        pytest.param(
            "mine = goal.plan.owner.id == current_user.id\n",
            ["current-user-id"],
            id="current-user-id-compared",
        ),
        pytest.param(
            """
            def view(plan):
                if not may_edit(plan):
                    raise NotFound()
            """,
            ["abort-after-check"],
            id="may-helper-then-raise-not-found",
        ),
    ],
)
def test_checker_rejects_access_decided_outside_access_py(source, expected):
    assert rules(source) == expected


def test_checker_reports_the_line_and_code_of_a_finding():
    source = "plan = load()\nallowed = plan.owner_id == user.id\n"

    [finding] = check_access.check_source(source, "toekomstplan/plan/views.py")

    assert str(finding) == (
        "toekomstplan/plan/views.py:2: ownership-compare: allowed = plan.owner_id == user.id"
    )


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            """
            shares = db.session.scalars(
                sa.select(Share).where(Share.user_id == user.id, Share.plan_id == plan.id)
            )
            """,
            id="query-filter-on-a-class-column",
        ),
        pytest.param(
            """
            plan = db.session.get(Plan, plan_id)
            if plan is None:
                abort(404)
            """,
            id="missing-row-is-not-an-access-check",
        ),
    ],
)
def test_checker_accepts_queries_and_plain_not_found(source):
    assert rules(source) == []


def test_the_package_decides_access_only_in_access_py():
    findings = check_access.check_tree(ROOT / "toekomstplan")

    assert [str(f) for f in findings] == []


def test_the_script_fails_with_one_line_per_finding(tmp_path):
    package = tmp_path / "app"
    (package / "goals").mkdir(parents=True)
    # access.py at the package's top may compare owners: that is its job.
    (package / "access.py").write_text(
        "def is_owner(user, plan):\n    return plan.owner_id == user.id\n"
    )
    (package / "goals" / "views.py").write_text(
        "def edit(goal):\n    if goal.plan.owner_id != current_user.id:\n        abort(403)\n"
    )

    bad = subprocess.run(
        [sys.executable, str(SCRIPT), str(package)], capture_output=True, text=True, check=False
    )
    (package / "goals" / "views.py").unlink()
    good = subprocess.run(
        [sys.executable, str(SCRIPT), str(package)], capture_output=True, text=True, check=False
    )

    assert bad.returncode == 1
    findings = bad.stdout.splitlines()[:-1]
    assert sorted(line.split(": ")[1] for line in findings) == [
        "abort-after-check",
        "ownership-compare",
    ]
    assert all(line.startswith(f"{package / 'goals' / 'views.py'}:2: ") for line in findings)
    assert (good.returncode, good.stdout) == (0, "")
