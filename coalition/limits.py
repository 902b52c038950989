"""Input limits, defined once: the database columns, the HTML forms, the API schemas and
the services all read them here, so that no way in accepts what another refuses."""

#: A body's address (/initiatives/<slug>).
SLUG_MAX = 80
#: What a chosen address looks like: lower-case words of letters and digits, joined by hyphens.
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
TITLE_MAX = 200
SUMMARY_MAX = 500
#: Long Markdown texts: descriptions, results, mandates, minutes.
TEXT_MAX = 20_000
#: Short free texts: messages, reasons.
NOTE_MAX = 2_000
#: Seats of one body: far above any real governing body, low enough to mean something.
SEAT_LIMIT_MAX = 1_000
#: A person's or an organization's name.
NAME_MAX = 200
#: An organization's acronym.
ACRONYM_MAX = 32
#: What a person says of their position when claiming to represent a participant.
POSITION_MAX = 200
#: What an API token is for, in its owner's words.
TOKEN_NAME_MAX = 100
#: Free words typed into a search box.
SEARCH_MAX = 200
#: Items on one API page.
PER_PAGE_MAX = 200
#: A meeting's venue ("Palais des Nations, Room XX, Geneva").
VENUE_MAX = 300
#: An online meeting link.
URL_MAX = 500
#: Items on one meeting's agenda, and the length of one.
AGENDA_ITEMS_MAX = 100
AGENDA_ITEM_MAX = 300
#: Minutes and outcome documents: long, but far below what a request may carry.
DOCUMENT_MAX = 200_000
#: Names of the other delegates in one delegation's answer.
DELEGATES_MAX = 30
#: The planner: days searched at once, a meeting's length (minutes), participant codes
#: named at once (every state and then some), candidates one API answer lists.
PLANNER_DAYS_MAX = 31
PLANNER_DURATION_MAX = 24 * 60
PLANNER_CODES_MAX = 500
PLANNER_CANDIDATES_MAX = 100
#: Proposed initiatives one participant may have waiting for the Secretariat at once.
PROPOSALS_WAITING_MAX = 3
#: Initiative columns on one page of the participation matrix.
MATRIX_COLUMNS = 12
#: Ids in URLs and filters: what the database's integer columns hold.
ID_MAX = 2**31 - 1
#: Nesting of a JSON request body; the API's documents need a handful of levels.
JSON_DEPTH_MAX = 32
#: A recurring series: its rule's text, and how many meetings it makes at most.
RRULE_MAX = 200
SERIES_OCCURRENCES_MAX = 100
#: "Every N days/weeks/months": the largest N.
SERIES_INTERVAL_MAX = 99
#: Longest membership term, in years.
TERM_YEARS_MAX = 10
#: Participants changed by one bulk change (codes pasted or rows of an uploaded file).
BULK_ROWS_MAX = 1_000
#: An uploaded CSV file; the application refuses any larger request (413) before reading
#: it (MAX_CONTENT_LENGTH in config.py is this limit).
UPLOAD_BYTES_MAX = 1024 * 1024
