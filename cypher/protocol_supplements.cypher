// title: What each protocol supplements
// description: SUPPLEMENTS links between frameworks: the three Palermo Protocols supplement
//   UNTOC, the CRC Optional Protocol the CRC, the ILO Forced Labour Protocol Convention 29.
// view: graph
// caption: Framework=short_name
MATCH (p:Framework)-[s:SUPPLEMENTS]->(f:Framework)
RETURN p.id AS protocol, p.short_name AS protocol_name, f.id AS supplements,
       f.short_name AS supplements_name, p, s, f
ORDER BY supplements, protocol
