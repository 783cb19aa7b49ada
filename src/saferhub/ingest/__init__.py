"""Reading files from outside: police.uk archives and partners' spreadsheets.

No Django here: these functions turn files into validated, aggregated records; the
performance app stores them.
"""
