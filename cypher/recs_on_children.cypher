// title: Recommendations concerning children
// description: Recommendations whose text speaks of children, minors, unaccompanied or
//   separated migrants, guardianship or birth registration (case-insensitive text search).
// view: table
// caption: Recommendation=id
MATCH (r:Recommendation)
WITH r, toLower(r.text) AS text
WHERE (text CONTAINS 'child')
   OR ((' ' + text) CONTAINS ' minor')
   OR (text CONTAINS 'unaccompanied')
   OR (text CONTAINS 'guardianship')
   OR (text CONTAINS 'birth registration')
RETURN r.id AS recommendation, r.area AS area, r.text AS text
ORDER BY area, r.ordinal
