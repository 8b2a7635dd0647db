// title: Recommendations concerning women and girls
// description: Recommendations whose text speaks of women, girls or gender, with a column for
//   each term (case-insensitive text search; every CONTAINS is parenthesised, because engines
//   disagree on how `+` and CONTAINS bind).
// view: table
// caption: Recommendation=id
MATCH (r:Recommendation)
WITH r, (' ' + toLower(r.text) + ' ') AS text
WITH r, (text CONTAINS ' women') AS women, (text CONTAINS ' girl') AS girls,
     (text CONTAINS 'gender') AS gender
WHERE women OR girls OR gender
RETURN r.id AS recommendation, r.area AS area, women, girls, gender, r.text AS text
ORDER BY area, r.ordinal
