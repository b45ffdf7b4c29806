"""Flower's robust strategies, unmodified, for Java SuperNodes."""
