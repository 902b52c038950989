"""Working groups: their pages, membership tools, rosters and the Secretariat's home."""
