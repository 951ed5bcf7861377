"""Operations (DESIGN.md section 9): the runbook's diagnoses, recoveries and weekly checks as services.

`leh ops …` (leh.cli.ops) and the admin API (leh.api.ops) are thin layers over these modules.
Every check returns `Finding`s that carry an escalation level (runbook section 1).
"""
