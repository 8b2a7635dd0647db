"""loaders.summary against the co-facilitators' summary itself (data/sources/003_...txt).

Expected values were established by reading the transcription, not by running the loader:
each PDF page is one line of the file opening with the site's page index (1-15); the summary's
own printed page number ends the line (printed = index - 2; the contents page, index 3, is
printed page 1 and carries no number; indices 1-2 are the cover letters).

How the recommendations were counted: for each area, the text after "Concrete issues and
recommendations presented for consideration included:" up to the next area heading (or
"iv. Conclusions") was read item by item. An item starts at a bullet, whatever the OCR made of
it ('..', '.,', '"', ''"', 'e', 'o', 'II'), or, where the bullet was lost, at the next
imperative verb after a word with no punctuation (area b has no visible bullets at all; in
e "... migrant smugglers Enact legislation ..." and in f "... Sustainable Development Improve
the capacities ..." lose theirs). Counted by hand:
    a (printed p. 5)     Accede, Maintain, Develop, Avoid, Review, Ensure, Avoid, Promote,
                         Apply, Ratify, Consider                                         = 11
    b (p. 6)             Establish, Promote, Ensure, Establish, Use, Involve, Strengthen = 7
    c (pp. 6-7)          Develop, Implement, Include, Ensure | Increase, Strengthen,
                         Contemplate, Ensure, Consider, Provide, Recognize, Establish,
                         Render, Encourage, Provide, Allocate, Establish                  = 17
    d (pp. 7-8)          Prevent, Ensure | Promote, Establish, Organize, Develop, Empower,
                         Promote, Incorporate, Recognize, Conclude, Include, Review,
                         Address, Enact, Introduce, Provide, Ensure                      = 18
    e (pp. 8-9)          Establish | Systematize, Establish, Improve, Provide, Enhance,
                         Promote, Establish, Establish, Review, Enact, Strengthen        = 12
    f (pp. 9-10)         Promote, Use, Promote, Endorse, Improve, Develop, Consider |
                         Increase, Establish, Make, Establish, Engage, Consider, Support,
                         Call                                                            = 15
    g (p. 10)            Consolidate, Ensure, Encourage, Regularly monitor, Support,
                         Analyze, Promote                                                = 7
('|' marks a page break. In this document every page break in a list falls between items.)
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from graph.errors import LoaderError
from graph.records import Edge, Node
from graph.schema import ID_PATTERNS, edge_problems, node_problems
from loaders.clean import dropped_words, words
from loaders.summary import FALLBACK_BODIES, read_summary

SOURCE = Path(__file__).resolve().parents[1] / "data/sources/003_2307a9ba4bf51685.txt"
DOC = "gcm-ts5-summary"

COUNTS = {"a": 11, "b": 7, "c": 17, "d": 18, "e": 12, "f": 15, "g": 7}

FIRST_AND_LAST = {
    "a": ("Accede to and ratify UNTOC and the two relevant Protocols thereto, and adopt measures "
          "for their effective implementation",
          "Consider the Global Plan of Action on Trafficking in Persons as a central guiding "
          "document"),
    "b": ("Establish national and international referral mechanisms, including improved "
          "screening measures at borders, that include all relevant agencies, authorities and "
          "other actors for the identification of victims of trafficking and smuggled migrants "
          "in vulnerable situations with clear procedures and roles of frontline actors, "
          "including special referral mechanisms for children",
          "Strengthen effective screening of migration routes to identify victims of "
          "trafficking and abusive smugglers"),
    "c": ("Develop specific guidelines and protocols, introduce appropriate case management, and "
          "employ specialized focal points in relevant government ministries to provide "
          "protection and assistance to women, children, particularly unaccompanied and "
          "separated migrant children, and other populations to prevent all forms of "
          "exploitation and abuse",
          "Establish ombudsperson positions and advisory boards to promote protection of victims "
          "of trafficking"),
    "d": ("Prevent trafficking by addressing demand for goods and services produced through "
          "exploitation",
          "Ensure the non-penalization of migrants rights' defenders by counter-smuggling laws"),
    "e": ("Establish robust victim protection mechanisms and safeguards against the "
          "criminalization of human trafficking victims to promote witness cooperation",
          "Strengthen accountability for the worst forms of human trafficking including by "
          "exploring a role for the ICC in investigating cases which may amount to crimes "
          "against humanity"),
    "f": ("Promote international cooperation to ensure that all new arrivals receive information "
          "on how to report trafficking in a language they understand as well as in an age and "
          "gender sensitive manner",
          "Call upon the support of international organizations to facilitate cross-border "
          "intelligence sharing and analysis"),
    "g": ("Consolidate available disaggregated data collection and sharing among all relevant "
          "national stakeholders in order to better inform policy formulation and develop joint "
          "responses and programmes to prevent and address migrant smuggling and human "
          "trafficking",
          "Promote research on migrant smuggling and human trafficking networks and financial "
          "flows linked to them"),
}

# Recommendations whose OCR was damaged, cleaned as the document says them.
REPAIRED = {
    "d.6": "Develop radio programmes that provide examples on the risks of migrant smuggling and "
           "human trafficking",
    "e.9": "Establish checkpoints at borders that are trained to effectively identify victims of "
           "human trafficking, provide immediate assistance, and disrupt the criminal activity",
    "e.10": "Review legal frameworks for the appropriate prosecution and punishment of migrant "
            "smugglers",
    "e.11": "Enact legislation on human trafficking that includes special provisions for "
            "different forms of the crime, such as sexual exploitation, labour exploitation "
            "including supply chain transparency, forced begging, organ removal, etc.",
    "f.5": "Improve the capacities of labour inspectors to efficiently and effectively address "
           "exploitation",
    "g.3": "Encourage victim protection by collecting data in a rights-based, child- and "
           "gender-sensitive manner",
    "g.5": "Support the IOM Counter Trafficking Collaborative that provides an open access data "
           "platform on human trafficking",
}

# The printed page where a recommendation starts, read off the page-number run-ins.
PAGES = {"a.1": 5, "a.11": 5, "b.1": 6, "c.1": 6, "c.4": 6, "c.5": 7, "c.17": 7, "d.2": 7,
         "d.3": 8, "d.18": 8, "e.1": 8, "e.2": 9, "e.12": 9, "f.7": 9, "f.8": 10, "g.7": 10}


@pytest.fixture(scope="module")
def records() -> list[Node | Edge]:
    return read_summary(SOURCE, known_bodies=FALLBACK_BODIES)


@pytest.fixture(scope="module")
def nodes(records: list[Node | Edge]) -> dict[tuple[str, str], Node]:
    return {r.key: r for r in records if isinstance(r, Node)}


@pytest.fixture(scope="module")
def edges(records: list[Node | Edge]) -> list[Edge]:
    return [r for r in records if isinstance(r, Edge)]


def recs(nodes: dict, area: str | None = None) -> list[Node]:
    found = [n for n in nodes.values() if n.label == "Recommendation"
             and (area is None or n.props["area"] == area)]
    return sorted(found, key=lambda n: n.props["ordinal"])


def cleaned_texts(nodes: dict) -> list[tuple[str, str]]:
    """Every string property of every node except `raw` (kept as transcribed on purpose)."""
    return [(n.id, v) for n in nodes.values() for k, v in n.props.items()
            if isinstance(v, str) and k not in ("raw", "source_file")]


# ------------------------------------------------------------------ recommendations
@pytest.mark.parametrize("area, count", COUNTS.items())
def test_each_area_has_the_recommendations_counted_by_hand(nodes, area, count) -> None:
    assert len(recs(nodes, area)) == count


def test_there_are_87_recommendations_numbered_from_1_in_each_area(nodes) -> None:
    assert len(recs(nodes)) == 87
    for area, count in COUNTS.items():
        assert [n.id for n in recs(nodes, area)] == [f"{DOC}:{area}.{i}"
                                                      for i in range(1, count + 1)]


@pytest.mark.parametrize("area", COUNTS)
def test_first_and_last_recommendation_of_each_area_word_for_word(nodes, area) -> None:
    found = recs(nodes, area)
    assert (found[0].props["text"], found[-1].props["text"]) == FIRST_AND_LAST[area]


@pytest.mark.parametrize("rid, text", REPAIRED.items())
def test_damaged_recommendations_read_as_the_document_says(nodes, rid, text) -> None:
    assert nodes[("Recommendation", f"{DOC}:{rid}")].props["text"] == text


@pytest.mark.parametrize("rid, page", PAGES.items())
def test_recommendation_page_is_the_printed_page_where_it_starts(nodes, rid, page) -> None:
    assert nodes[("Recommendation", f"{DOC}:{rid}")].props["page"] == page


def test_recommendations_carry_their_area_document_and_links(nodes, edges) -> None:
    titles = {"a": "Overarching frameworks and principles", "g": "Data"}
    made_in = {e.src for e in edges if e.type == "MADE_IN" and e.dst == DOC}
    in_area = {e.src: e.dst for e in edges if e.type == "IN_AREA"}
    for n in recs(nodes):
        assert n.props["document_id"] == DOC and n.props["source"] == DOC
        assert n.id in made_in
        assert nodes[("Theme", in_area[n.id])].props["area"] == n.props["area"]
        if n.props["area"] in titles:
            assert n.props["area_title"] == titles[n.props["area"]]


def test_raw_is_exactly_as_transcribed(nodes) -> None:
    source = SOURCE.read_text(encoding="utf-8")
    for n in recs(nodes):
        assert n.props["raw"] in source, n.id


def test_every_word_of_raw_is_in_the_text_or_is_listed_noise(nodes) -> None:
    for n in recs(nodes):
        lost = Counter(words(n.props["raw"])) - Counter(words(n.props["text"]))
        assert not lost - Counter(dropped_words(n.props["raw"])), n.id


# ------------------------------------------------------------------ no noise left anywhere
NOISE_PATTERNS = {
    "10M": r"\b10M\b",
    "Grime": r"\bGrime\b",
    "C'oncrete": r"C'oncrete",
    "Pane!": r"Pane!",
    "ofthe": r"\bofthe\b",
    "bullet glyph tokens": r"(?<!\S)(?:\.\.+|\.,|\"|'\"|~|•)(?!\S)",
    "bullet glued to a word": r"\w(?:\.\.|\.,)",
    "bullet letters before a capital": r"[a-z] (?:e|o|II|B|m) [A-Z]",
    "split words": r"\b[a-z]{2,}(?: [b-hj-z]){2,}\b",
    "page number at the end": r"[\w.\"] \d{1,2}$",
    "line breaks": r"\n",
    "space before punctuation": r" [,.;:!?)]",
    "lower-case section numbers": r"(?<!\S)(?:i|iii|iv|<I)\. [A-Z]",
}


@pytest.mark.parametrize("pattern", NOISE_PATTERNS.values(), ids=NOISE_PATTERNS.keys())
def test_no_transcription_noise_is_left_in_any_cleaned_text(nodes, pattern) -> None:
    assert [(i, m.group(0)) for i, t in cleaned_texts(nodes) for m in re.finditer(pattern, t)
            ] == []


# The last words of each page and its printed number, as the transcription runs them together.
RUN_INS = ["implementation of the 2", "holistic 3", "global compact. 4", "absence of 5",
           "form of vulnerability 6", "and human trafficking 7", "witness cooperation 8",
           'Models of Cooperation" 9', "linked to them 10", "migration and trafficking. 11",
           "St Chambers 12", "by the co-facilitators 13"]


@pytest.mark.parametrize("run_in", RUN_INS)
def test_no_page_number_is_left_run_into_a_sentence(nodes, run_in) -> None:
    assert run_in in SOURCE.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(run_in) + r"(?!\d)")  # not "the 2030 Agenda"
    assert [i for i, t in cleaned_texts(nodes) if pattern.search(t)] == []


# ------------------------------------------------------------------ ids and schema
def test_every_id_follows_the_scheme(nodes) -> None:
    for label, node_id in nodes:
        assert ID_PATTERNS[label].match(node_id), (label, node_id)
    passages = [i for lab, i in nodes if lab == "Passage"]
    assert all(re.fullmatch(rf"{DOC}:(introduction|panel-finding|conclusion)\.\d+", p)
               for p in passages)
    assert all(re.fullmatch(rf"{DOC}:[a-g]\.\d+", n.id) for n in recs(nodes))


def test_every_record_is_on_the_schema_and_carries_its_source(records) -> None:
    for r in records:
        assert (node_problems(r) if isinstance(r, Node) else edge_problems(r)) == []
        assert r.props["source"] == DOC


def test_loading_twice_gives_the_same_records(nodes) -> None:
    assert read_summary(SOURCE) == read_summary(SOURCE)
    assert max(n.props.get("page", 0) for n in nodes.values()) == 13  # the annex's last page


# ------------------------------------------------------------------ the end of the document
@pytest.mark.parametrize("debris", ["OSCE", "Twelfth United Nations Congress", "MECHELEN",
                                    "More information", "Laura Thompson", "Jalisco",
                                    "third round of negotiations"])
def test_nothing_after_the_annex_is_loaded(nodes, debris) -> None:
    assert debris in SOURCE.read_text(encoding="utf-8")
    assert [i for i, t in cleaned_texts(nodes) if debris.lower() in t.lower()] == []


# ------------------------------------------------------------------ document, events, themes
def test_the_document(nodes, edges) -> None:
    doc = nodes[("Document", DOC)].props
    assert doc["kind"] == "summary" and str(doc["date"]) == "2017-10-09"
    assert doc["source_file"] == "data/sources/003_2307a9ba4bf51685.txt"
    assert "Smuggling of migrants, trafficking in persons and contemporary forms of slavery" \
        in doc["title"]
    assert {e.dst for e in edges if e.type == "ISSUED_BY"} == {"pga", "gcm-cofacilitators"}
    assert [(e.src, e.dst) for e in edges if e.type == "RECORDS"] == [(DOC, "gcm-ts5")]


def test_the_session(nodes, edges) -> None:
    ev = nodes[("Event", "gcm-ts5")].props
    assert (ev["kind"], str(ev["start_date"]), str(ev["end_date"])) == \
        ("session", "2017-09-04", "2017-09-05")
    assert ev["place"] == "United Nations Office at Vienna"
    assert ev["series"] == "gcm-thematic-sessions"
    assert "110 Member States" in ev["participants"]
    assert [(e.src, e.dst) for e in edges if e.type == "CONVENED_BY"] == [("gcm-ts5", "pga")]


def test_four_panels_part_of_the_session(nodes, edges) -> None:
    panels = {i: n.props for (lab, i), n in nodes.items()
              if lab == "Event" and n.props["kind"] == "panel"}
    assert set(panels) == {"gcm-ts5-panel-1", "gcm-ts5-panel-2", "gcm-ts5-panel-3",
                           "gcm-ts5-summary-panel"}
    assert {e.src for e in edges if e.type == "PART_OF" and e.dst == "gcm-ts5"} == set(panels)
    assert panels["gcm-ts5-panel-1"]["name"] == "Panel 1: Smuggling of migrants"
    assert panels["gcm-ts5-panel-2"]["summary"].startswith(
        "Panelists highlighted that human trafficking is not a crime exclusive")
    assert str(panels["gcm-ts5-panel-2"]["start_date"]) == "2017-09-04"
    assert str(panels["gcm-ts5-panel-3"]["start_date"]) == "2017-09-05"
    assert [p["ordinal"] for _, p in sorted(panels.items())] == [1, 2, 3, 4]


def test_passages(nodes, edges) -> None:
    kinds = Counter(n.props["kind"] for (lab, _), n in nodes.items() if lab == "Passage")
    assert kinds == {"introduction": 2, "panel-finding": 4, "conclusion": 1}
    conclusion = nodes[("Passage", f"{DOC}:conclusion.1")].props
    assert conclusion["page"] == 11
    assert conclusion["text"].startswith("The fifth informal thematic session in phase I")
    assert "slavery and exploitation" in conclusion["text"]
    made_in = {e.src for e in edges if e.type == "MADE_IN"}
    assert all(i in made_in for lab, i in nodes if lab == "Passage")
    panel1 = nodes[("Passage", f"{DOC}:panel-finding.1")].props["text"]  # across pp. 2-3
    assert "effective implementation of the Smuggling Protocol requires far more" in panel1


def test_seven_themes(nodes) -> None:
    themes = {i: n.props for (lab, i), n in nodes.items() if lab == "Theme"}
    assert sorted((p["area"], i) for i, p in themes.items()) == [
        ("a", "theme-overarching-frameworks-and-principles"), ("b", "theme-identification"),
        ("c", "theme-protection-assistance-and-addressing-vulnerabilities"),
        ("d", "theme-prevention-and-awareness-raising"),
        ("e", "theme-dismantling-of-criminal-networks-and-prosecution"),
        ("f", "theme-capacity-building-cooperation-and-partnerships"), ("g", "theme-data")]
    data = themes["theme-data"]
    assert data["page"] == 10 and data["text"].startswith("As has been the case with previous")
    assert data["text"].endswith("transition from assumptions to facts-based policy making.")
    assert "Concrete issues" not in " ".join(p["text"] for p in themes.values())
    assert "the respective absence of specialized protocols" in \
        themes["theme-identification"]["text"]  # across pp. 5-6


# ------------------------------------------------------------------ people
def test_the_co_facilitators(nodes, edges) -> None:
    for pid, name, state in (("juan-jose-gomez-camacho", "Juan José Gómez Camacho", "state-mex"),
                             ("jurg-lauber", "Jürg Lauber", "state-che")):
        person = nodes[("Person", pid)].props
        assert (person["name"], person["role"]) == (name, "co-facilitator")
        assert person["confirmed"] is True
        assert {e.dst for e in edges if e.type == "AFFILIATED_WITH" and e.src == pid} == \
            {state, "gcm-cofacilitators"}
        assert [(e.dst, e.props["role"]) for e in edges
                if e.type == "SPOKE_AT" and e.src == pid] == [("gcm-ts5", "co-facilitator")]


SPEAKERS = [  # (event, role, who), read off the programme of work (printed pp. 12-13)
    ("gcm-ts5", "speaker", {"louise-arbour"}),
    ("gcm-ts5-panel-1", "panelist", {"gabriella-e-sanchez", "mark-shaw", "jorgen-carling"}),
    ("gcm-ts5-panel-1", "moderator", {"rafael-mariano-grossi"}),
    ("gcm-ts5-panel-2", "panelist", {"anne-t-her", "gulnara-shahinyan", "mohamed-y-mattar"}),
    ("gcm-ts5-panel-2", "moderator", {"elisabeth-tichy-fisslberger", "andrew-goledzinowski"}),
    ("gcm-ts5-panel-3", "panelist",
     {"maria-grazia-giammarinaro", "bandana-pattanaik", "hassiba-hadj-sahraoui"}),
    ("gcm-ts5-panel-3", "moderator", {"leigh-turner", "stefanie-amadeo"}),
    ("gcm-ts5-summary-panel", "thematic-expert", {"joy-ngozi-ezeilo"}),
]
MODERATORS = set().union(*(who for _, role, who in SPEAKERS if role == "moderator"))


@pytest.mark.parametrize("event, role, who", SPEAKERS)
def test_exactly_these_people_spoke_at_each_panel_in_each_role(nodes, edges, event, role,
                                                                who) -> None:
    assert {e.src for e in edges if e.type == "SPOKE_AT" and e.dst == event
            and e.props["role"] == role} == who
    assert all(nodes[("Person", p)].props["role"] == role for p in who)


def test_moderators_also_report_at_the_summary_panel(edges) -> None:
    assert {e.src for e in edges if e.type == "SPOKE_AT" and e.dst == "gcm-ts5-summary-panel"
            and e.props["role"] == "moderator"} == MODERATORS


def test_damaged_names_are_kept_or_flagged(nodes) -> None:
    anne = nodes[("Person", "anne-t-her")].props
    assert (anne["name"], anne["confirmed"]) == ("Anne T. her", False)
    assert nodes[("Person", "mohamed-y-mattar")].props["confirmed"] is False
    assert nodes[("Person", "leigh-turner")].props["confirmed"] is True  # the reference has him
    assert "Academic Adviser" in anne["affiliation"]


def test_affiliations_only_point_at_known_bodies(records) -> None:
    assert {e.dst for e in records if isinstance(e, Edge) and e.type == "AFFILIATED_WITH"} <= \
        FALLBACK_BODIES
    more = read_summary(SOURCE, known_bodies=FALLBACK_BODIES | {"prio", "msf"})
    assert {(e.src, e.dst) for e in more if isinstance(e, Edge) and e.dst in ("prio", "msf")} \
        == {("jorgen-carling", "prio"), ("hassiba-hadj-sahraoui", "msf")}


# ------------------------------------------------------------------ errors name file and line
def test_a_record_off_the_schema_is_refused_with_file_and_line(monkeypatch) -> None:
    import loaders.summary

    monkeypatch.setattr(loaders.summary, "DOCUMENT_ID", "Not A Slug")
    with pytest.raises(LoaderError, match=r"003_2307a9ba4bf51685\.txt:14: Document 'Not A Slug'"):
        read_summary(SOURCE)


def test_a_file_without_its_transcription_marker_is_refused(tmp_path) -> None:
    bad = tmp_path / "003.txt"
    bad.write_text(SOURCE.read_text(encoding="utf-8").replace("Transcription", "Text"))
    with pytest.raises(LoaderError, match=r"003\.txt:1: no line 'Transcription'"):
        read_summary(bad)


def test_a_missing_heading_is_reported_with_file_and_line(tmp_path) -> None:
    bad = tmp_path / "003.txt"
    bad.write_text(SOURCE.read_text(encoding="utf-8").replace("iv. Conclusions", "Conclusions"))
    with pytest.raises(LoaderError, match=r"003\.txt:\d+: could not find IV\. Conclusions"):
        read_summary(bad)
