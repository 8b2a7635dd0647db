// title: Recommendations with no framework behind them
// description: Recommendations that map to no framework or provision at all, with the reviewer's
//   note where one marked them as having none (no_framework). These are candidates for review,
//   or genuine gaps in the international framework.
// view: table
// caption: Recommendation=id
MATCH (r:Recommendation)
WHERE NOT (r)-[:MAPS_TO]->()
RETURN r.id AS recommendation, r.area AS area, r.area_title AS area_title,
       r.no_framework AS reviewer_note, r.text AS text
ORDER BY area, r.ordinal
