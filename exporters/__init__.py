"""What leaves as a document: tables for the terminal, the summary workbook, the report."""
