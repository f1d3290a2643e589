"""The campaign domain, pure Python: records and their validation, Vietnamese text, money and
dates, the rules of what counts, and the tallies. Imports nothing from the other packages."""
