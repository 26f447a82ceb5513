"""The open-web edge: the family feedback page, the one part of the product a child, young person,
parent or carer opens from a one-time link, outside Teams.

routes.py     the routes, their rate limits and strict headers: add_feedback_routes, called by app.py
pages.py      the HTML: the form (a child's or a parent's version), thanks, and the kind pages
languages.py  the message catalogues (locales/), compiled in memory; the reader's language and direction
csrf.py       the signed, timed form check that a post must carry (no cookies)
limits.py     requests per address and per link, and the body size limit
catalogue.py  the message catalogue's template (.pot) extracted from the templates, this code and the form
"""

from feedback_web.routes import Site, add_feedback_routes

__all__ = ["Site", "add_feedback_routes"]
