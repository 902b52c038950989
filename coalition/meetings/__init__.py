"""Meetings: scheduling across time zones, invitations that follow memberships, answers
per delegation, agendas, minutes and outcome documents, calendar files and feeds.

Importing the package registers what it hooks into elsewhere: the membership machine's
callbacks (invitations follow memberships) and the notification texts of meetings.
"""

from coalition.meetings import invitations as _invitations  # noqa: F401
from coalition.meetings import notify as _notify  # noqa: F401
