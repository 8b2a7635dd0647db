// title: Documents and passages that mention or cite a framework
// description: Where the source documents name a framework: MENTIONS (with the quoted evidence)
//   and CITES links from documents, events and passages.
// params: framework_id: str = untoc
// view: table
// caption: Document=title, Framework=short_name
MATCH (f:Framework {id: $framework_id})<-[m:MENTIONS|CITES]-(d)
RETURN d.id AS source, coalesce(d.title, d.name, d.kind) AS source_title, m.evidence AS evidence
ORDER BY source, evidence
