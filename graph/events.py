"""Data behind the Bodies and events page: the calendar, conveners, records and speakers."""

from __future__ import annotations

import pandas as pd

from graph.backend import GraphBackend

CALENDAR = """
MATCH (e:Event)
WHERE NOT EXISTS { MATCH (e)-[:PART_OF]->(:Event) }
OPTIONAL MATCH (e)-[:CONVENED_BY]->(b:Body)
OPTIONAL MATCH (d:Document)-[:RECORDS]->(e)
RETURN e.id AS id, e.name AS event, e.kind AS kind, e.start_date AS start_date, e.end_date AS end_date,
       e.place AS place, coalesce(b.acronym, b.name) AS convened_by,
       count(DISTINCT d) AS documents
ORDER BY start_date, id
"""
CONVENED = """
MATCH (e:Event)-[:CONVENED_BY]->(b:Body)
RETURN b.id AS body_id, b.name AS body, e.id AS event_id, e.name AS event,
       e.start_date AS start
ORDER BY body, start, event_id
"""
RECORDED = """
MATCH (d:Document)-[:RECORDS]->(e:Event)
RETURN d.id AS document_id, coalesce(d.symbol, d.title) AS document, d.kind AS kind,
       e.id AS event_id, e.name AS event, e.start_date AS start
ORDER BY document_id, start, event_id
"""
SPEAKERS = """
MATCH (p:Person)-[s:SPOKE_AT]->(e:Event)
OPTIONAL MATCH (e)-[:PART_OF]->(parent:Event)
RETURN p.name AS person, s.role AS role, p.affiliation AS affiliation, e.name AS panel,
       e.start_date AS date, coalesce(parent.name, e.name) AS session, e.id AS event_id
ORDER BY date, event_id, role, person
"""
BODIES = """
MATCH (b:Body)
OPTIONAL MATCH (b)-[r]-()
RETURN b.id AS id, b.name AS name, b.acronym AS acronym, b.kind AS kind, count(r) AS links
ORDER BY name
"""
BODY_ACTIVITY = """
MATCH (b:Body {id: $id})-[r]-(x)
RETURN b, r, x
"""


def _frame(backend: GraphBackend, query: str, **params: object) -> pd.DataFrame:
    result = backend.run(query, params, limit=5000)
    return pd.DataFrame(result.records(), columns=result.columns)


def calendar(backend: GraphBackend) -> pd.DataFrame:
    """Top-level events (sessions and meetings, not their panels) with dates and conveners."""
    return _frame(backend, CALENDAR)


def convened(backend: GraphBackend) -> pd.DataFrame:
    """Who convened which event."""
    return _frame(backend, CONVENED)


def recorded(backend: GraphBackend) -> pd.DataFrame:
    """Which document records which event."""
    return _frame(backend, RECORDED)


def speakers(backend: GraphBackend) -> pd.DataFrame:
    """Panelists, moderators and other speakers, by panel."""
    return _frame(backend, SPEAKERS)


def bodies(backend: GraphBackend) -> pd.DataFrame:
    """Every body with its kind and how many relationships it has."""
    return _frame(backend, BODIES)


def body_activity(backend: GraphBackend, body_id: str):
    """A body's neighbourhood (events convened, documents issued, frameworks adopted...)."""
    return backend.run(BODY_ACTIVITY, {"id": body_id}, limit=2000)
