"""Cases (案件): the closed-loop workflow, deadlines, indicators and the laptop case store."""
