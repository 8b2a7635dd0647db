// title: How big is the graph: nodes per label
// description: One number per label: recommendations, frameworks, provisions, bodies, events,
//   documents, people, themes, resources and passages.
// view: metric
MATCH (r:Recommendation) WITH count(r) AS recommendations
MATCH (f:Framework) WITH recommendations, count(f) AS frameworks
MATCH (p:Provision) WITH recommendations, frameworks, count(p) AS provisions
MATCH (b:Body) WITH recommendations, frameworks, provisions, count(b) AS bodies
MATCH (e:Event) WITH recommendations, frameworks, provisions, bodies, count(e) AS events
MATCH (d:Document)
WITH recommendations, frameworks, provisions, bodies, events, count(d) AS documents
MATCH (x:Person)
WITH recommendations, frameworks, provisions, bodies, events, documents, count(x) AS people
MATCH (t:Theme)
WITH recommendations, frameworks, provisions, bodies, events, documents, people,
     count(t) AS themes
MATCH (s:Resource)
WITH recommendations, frameworks, provisions, bodies, events, documents, people, themes,
     count(s) AS resources
MATCH (g:Passage)
RETURN recommendations, frameworks, provisions, bodies, events, documents, people, themes,
       resources, count(g) AS passages
