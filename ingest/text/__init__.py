"""Text primitives below every step: numbers as reports write them (Arabic, full-width, Chinese,
with 万/亿 and qualifiers such as 余 or 以上), and tries that find thousands of words at once."""
from .numbers import MAX_FIGURE, NumberMention, figure_problem, find_numbers, format_number, parse_numeral
from .trie import WordScan, trie_pattern

__all__ = ["MAX_FIGURE", "NumberMention", "WordScan", "figure_problem", "find_numbers", "format_number",
           "parse_numeral", "trie_pattern"]
