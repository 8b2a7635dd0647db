// title: What aligns with a provision (GCM objective 10 by default)
// description: Provisions linked to the given one by the crosswalk (ALIGNS_WITH, either
//   direction), with the crosswalk's evidence and whether it is confirmed.
// params: provision_id: str = gcm:obj-10
// view: table
// caption: Provision=title
MATCH (p:Provision {id: $provision_id})-[a:ALIGNS_WITH]-(q:Provision)
RETURN q.framework_id AS framework, q.id AS provision, q.title AS title,
       a.confirmed AS confirmed, a.evidence AS evidence
ORDER BY framework, provision
