// title: Who spoke at which panel
// description: Panelists, moderators and experts of each panel (or of one event), with their
//   role and affiliation as given in the programme of work.
// params: event_id: str | None = None
// view: table
// caption: Person=name, Event=name
MATCH (p:Person)-[s:SPOKE_AT]->(e:Event)
WHERE e.id = $event_id OR ($event_id IS NULL AND e.kind = 'panel')
RETURN e.id AS event, e.name AS event_name, s.role AS role, p.name AS person,
       p.affiliation AS affiliation
ORDER BY e.start_date, event, role, person
