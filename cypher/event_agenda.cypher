// title: The agenda of a session and the documents each item cites
// description: The agenda items of an event (PART_OF), in order, with the documents each one
//   cites: the 7th session of the Working Group on Trafficking in Persons by default.
// params: event_id: str = wg-tip-7
// view: table
// caption: Event=name, Document=title
MATCH (i:Event)-[:PART_OF]->(e:Event {id: $event_id})
OPTIONAL MATCH (i)-[:CITES]->(d)
RETURN i.ordinal AS item_no, i.id AS item, i.name AS name, d.id AS cites,
       coalesce(d.symbol, d.title, d.short_name) AS cited_symbol
ORDER BY i.start_date, item, cites
