"""Scanned paper: separator sheets, splitting batches into records, OCR to PDF/A.

Core layer (no Qt): ``sheet`` (what a separator sheet's QR code says, and the
printable sheet), ``detect`` (finding sheets among a batch's pages), ``split``
(the records a batch holds, each written as a PDF of its pages) and ``ocr``
(a PDF/A-2b with a text layer, made in a worker process).
"""
