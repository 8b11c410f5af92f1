"""The plain-language helper ("taalhulp") behind every free-text field."""
