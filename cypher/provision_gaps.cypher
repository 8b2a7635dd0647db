// title: Gaps: provisions no recommendation touches
// description: Provisions that no recommendation maps to, per framework (all frameworks when
//   framework_id is empty). With include_inferred false, only cited and curated links count,
//   so provisions reached by retrieval alone also show as gaps.
// params: framework_id: str | None = None, include_inferred: bool = true
// view: table
// caption: Provision=title
MATCH (p:Provision)
WHERE (p.framework_id = $framework_id OR $framework_id IS NULL)
  AND NOT EXISTS {
    MATCH (p)<-[m:MAPS_TO]-(:Recommendation)
    WHERE $include_inferred OR m.method <> 'inferred'
  }
RETURN p.framework_id AS framework, p.ref AS provision, p.title AS title
ORDER BY framework, p.ordinal
