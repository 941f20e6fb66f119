"""Blood donors (issue 17): record donations and deferrals, who may give on a drive's day,
who reaches an honour threshold in a year, and a drive's figures from its named donations.

``records`` writes, ``eligibility`` and ``honours`` read, ``drives`` joins donations to the
chapter's blood drives.
"""
