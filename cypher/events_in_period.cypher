// title: The events of 2017 and the documents that record them
// description: Events (sessions, panels, meetings, agenda items) that started within the
//   period, each with the documents that record it (one row per event and document).
// params: since: str = 2017-01-01, until: str = 2017-12-31
// view: table
// caption: Event=name, Document=title
MATCH (e:Event)
WHERE e.start_date >= date($since) AND e.start_date <= date($until)
OPTIONAL MATCH (d:Document)-[:RECORDS]->(e)
RETURN e.start_date AS start, e.id AS event, e.kind AS kind, e.name AS name, d.id AS document,
       d.kind AS document_kind
ORDER BY start, event, document
