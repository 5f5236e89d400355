"""Classroom serving: the SSH server, the browser server and the class report.

`tutor.serve.ssh` runs one `gd-tutor` per SSH session in its own pseudo-terminal,
`tutor.serve.web` serves the same app through textual-serve, and
`tutor.serve.report` summarises every learner's progress store for the teacher.
"""
