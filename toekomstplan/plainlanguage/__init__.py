"""The plain-language helper ("taalhulp") behind the hints under every text field.

review.py finds what makes a text hard to read, wordlists.py holds the jargon lists it
uses, views.py answers the page's script while someone types.
"""

from .review import LANGUAGES, Hint, Review, review, word_count
from .wordlists import read_jargon

__all__ = ["LANGUAGES", "Hint", "Review", "review", "word_count", "read_jargon"]
