"""The domain core: plain, typed Python with no Django import.

Financial calendar, indicator arithmetic, status rules, commentary and police.uk parsing live here
so they can be tested in milliseconds and reused from a notebook.
"""
