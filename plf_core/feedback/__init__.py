"""The voice of children and families: feedback a family gives on a page opened from a one-time link.

form.py       the questions, scales, worrying phrases, themes and contacts, as data (forms/family_feedback.yaml)
links.py      one-time tokens: made, hashed, and whether a link still works
answers.py    what a family sent, cleaned and checked; the worrying phrases in it
ports.py      the port of feedback requests and answers
asking.py     the use cases: ask for feedback (Teams), open and answer the page (the open web)
figures.py    satisfaction and themes for the highlight report
meeting.py    the quarter's figures for each Service Manager's performance meeting (a timetable rule)
"""
