"""Search that understands Korean (issue 13): lemmas, the ground vocabulary, dates in the query, party aliases,
literal matches first, highlighted snippets, and old indexes upgraded in place."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from leh.adapters.sqlite_search import FORMAT, SqliteSearchIndex
from leh.analysis.query import parse_query
from leh.ports import SearchFilters
from leh.services.search import search_case

CASE = "11111111-1111-1111-1111-111111111111"
OTHER = "22222222-2222-2222-2222-222222222222"

# (ts, speaker, text): a case full of 때렸다, 죽고 싶냐, 소리 지르지 마, and everyday messages around them.
CHAT = [
    ("2024-03-02T09:00:00+09:00", "김영희", "2일에 병원 예약했어"),                 # 0
    ("2024-03-03T09:00:00+09:00", "김영희", "3일 동안 연락이 없었잖아"),            # 1
    ("2024-03-03T10:00:00+09:00", "홍길동", "3월 9일에 얘기하자"),                  # 2 mentions the date, sent earlier
    ("2024-03-09T21:10:00+09:00", "홍길동", "한 번만 더 그러면 죽고 싶냐"),          # 3
    ("2024-03-09T21:12:00+09:00", "김영희", "어제 나 때렸잖아"),                     # 4
    ("2024-03-09T21:15:00+09:00", "홍길동", "소리 지르지 마 시끄러워"),              # 5
    ("2024-03-10T08:00:00+09:00", "김영희", "우리 따로 살자"),                      # 6
    ("2024-03-11T08:00:00+09:00", "김영희", "살짝 다쳤어 괜찮아"),                  # 7
    ("2024-03-12T08:00:00+09:00", "홍길동", "오늘 저녁 뭐 먹을까"),                  # 8
    ("2024-03-15T08:00:00+09:00", "김영희", "폭행 사실로 경찰에 신고했어"),          # 9
    ("2024-03-20T23:00:00+09:00", "홍길동", "또 그 얘기 하면 가만 안 둔다"),          # 10
    ("2024-04-01T08:00:00+09:00", "홍길동", "너한테 욕했어? 기억 안 나"),            # 11
    ("2024-04-02T08:00:00+09:00", "김영희", "길동씨가 아이 학원비를 안 줬어"),        # 12
    ("2023-03-09T12:00:00+09:00", "김영희", "작년 이맘때 결혼기념일 선물"),           # 13
    (None, None, "날짜 없는 메모"),                                                 # 14
]


def doc(case_id: str, evidence_id: str, lines: list[tuple[str | None, str | None, str]]) -> dict:  # type: ignore[type-arg]
    return {"case_id": case_id, "evidence_id": evidence_id, "type": "kakaotalk", "event_time": None, "labels": [],
            "segments": [{"seq": i, "ts": ts, "speaker": who, "text": t} for i, (ts, who, t) in enumerate(lines)]}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SqliteSearchIndex:
    ix = SqliteSearchIndex(tmp_path_factory.mktemp("ko") / "search.db")
    ix.index_evidence(doc(CASE, "chat", CHAT))
    ix.index_evidence(doc(OTHER, "other", [("2024-03-09T10:00:00+09:00", "박민수", "때렸어 폭행이야 죽고 싶냐")]))
    return ix


def seqs(index: SqliteSearchIndex, q: str, **kw) -> list[int]:  # type: ignore[no-untyped-def]
    hits = index.search(CASE, q, **kw)
    assert {h.evidence_id for h in hits} <= {"chat"}  # never the other case's evidence
    return [h.seq for h in hits]


def test_acts_find_the_messages_that_describe_them(index: SqliteSearchIndex) -> None:
    assert seqs(index, "폭행") == [9, 4]            # the word itself first, then 때렸잖아
    assert set(seqs(index, "협박")) == {3, 10}      # 죽고 싶냐, 가만 안 둔다
    assert set(seqs(index, "폭언")) == {5, 11}      # 소리 지르지 마, 욕했어


def test_an_inflected_query_matches_the_lemma(index: SqliteSearchIndex) -> None:
    assert seqs(index, "때렸다")[0] == 4
    assert seqs(index, "때리다")[0] == 4
    assert seqs(index, "소리를 질렀어") == [5]


def test_a_literal_match_ranks_above_a_widened_one(index: SqliteSearchIndex) -> None:
    hits = index.search(CASE, "폭행")
    assert [h.seq for h in hits] == [9, 4] and hits[0].score > hits[1].score
    assert seqs(index, "때렸다")[:2] == [4, 9]  # the verb itself, then the act's name


def test_morphemes_not_substrings(index: SqliteSearchIndex) -> None:
    assert seqs(index, "따로 살") == [6]
    assert 7 not in seqs(index, "살")            # 살짝 holds no morpheme 살
    assert seqs(index, "살짝") == [7]


def test_a_day_filters_by_date_not_by_digits(index: SqliteSearchIndex) -> None:
    # 9 March of every year in the evidence; not the message sent on 3 March that mentions "3월 9일", nor 2일/3일
    assert seqs(index, "3월 9일") == [13, 3, 4, 5]
    assert seqs(index, "2024년 3월 9일") == [3, 4, 5]
    assert seqs(index, "2024-03-09") == [3, 4, 5]
    assert seqs(index, "2024. 3. 9.") == [3, 4, 5]


def test_periods_and_ranges(index: SqliteSearchIndex) -> None:
    assert seqs(index, "2024년 3월", limit=50) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert seqs(index, "3월 첫째 주") == [0, 1, 2]                # 1–7 March
    assert seqs(index, "3월 둘째 주") == [13, 3, 4, 5, 6, 7, 8]   # 8–14 March, 2023 too
    assert seqs(index, "3월 10일~3월 12일") == [6, 7, 8]
    assert seqs(index, "2024년 3월 10일부터 12일까지") == [6, 7, 8]
    assert seqs(index, "2024-04") == [11, 12]
    assert seqs(index, "2023년") == [13]


def test_a_date_and_words_together(index: SqliteSearchIndex) -> None:
    assert seqs(index, "3월 9일 때렸다") == [4]
    assert seqs(index, "3월 폭언") == [5]                         # 욕했어 was in April
    # the query's date and the date filters both apply
    assert seqs(index, "3월", filters=SearchFilters(date_from="2024-03-10", date_to="2024-03-11")) == [6, 7]
    assert seqs(index, "2024년 3월 9일", filters=SearchFilters(date_from="2024-04-01")) == []


def test_snippets_mark_literal_and_widened_words(index: SqliteSearchIndex) -> None:
    snippets = {h.seq: h.snippet for h in index.search(CASE, "폭행")}
    assert snippets[9].startswith("<mark>폭행</mark> 사실로")
    assert snippets[4] == "어제 나 <mark>때렸잖아</mark>"
    assert {h.seq: h.snippet for h in index.search(CASE, "폭언")}[5] == "<mark>소리 지르지</mark> 마 시끄러워"
    assert index.search(CASE, "따로 살")[0].snippet == "우리 <mark>따로</mark> <mark>살자</mark>"


def test_party_names_and_aliases_are_understood(index: SqliteSearchIndex) -> None:
    aliases = {"홍길동": ["남편", "길동씨"], "김영희": ["아내"]}
    q = parse_query("홍길동 학원비", aliases)
    assert ("길동씨",) in q.terms[0].widened and ("남편",) in q.terms[0].widened
    assert [h.seq for h in index.search(CASE, q)] == [12]
    assert [h.seq for h in index.search(CASE, parse_query("남편", aliases))] == [12]
    assert index.search(CASE, "남편") == []  # without the aliases nothing says 남편


def test_the_service_passes_aliases(index: SqliteSearchIndex) -> None:
    hits = search_case(index, CASE, "남편", aliases={"홍길동": ["남편", "길동씨"]})
    assert [(h["seq"], h["snippet"]) for h in hits] == [(12, "<mark>길동씨</mark>가 아이 학원비를 안 줬어")]


@pytest.mark.parametrize(("text", "dates", "rest"), [
    ("3월 9일", (None, None, "03-09", "03-09"), ""),
    ("2024년 3월", ("2024-03-01", "2024-03-31", None, None), ""),
    ("3월 첫째 주", (None, None, "03-01", "03-07"), ""),
    ("2월 마지막 주", (None, None, "02-23", "02-29"), ""),
    ("2024-03-09 때렸다", ("2024-03-09", "2024-03-09", None, None), "때렸다"),
    ("2023년 12월 28일 ~ 2024년 1월 3일", ("2023-12-28", "2024-01-03", None, None), ""),
    ("12월 28일~1월 3일", (None, None, "12-28", "01-03"), ""),
    ("2월 30일", (None, None, None, None), "2월 30일"),
    ("따로 살", (None, None, None, None), "따로 살"),
])
def test_dates_in_queries(text: str, dates: tuple[str | None, ...], rest: str) -> None:
    q = parse_query(text)
    assert (q.date_from, q.date_to, q.month_day_from, q.month_day_to) == dates
    assert " ".join(t.word for t in q.terms) == rest


def test_a_year_less_range_wraps_over_new_year(tmp_path: Path) -> None:
    ix = SqliteSearchIndex(tmp_path / "search.db")
    ix.index_evidence(doc(CASE, "e", [("2023-12-27T10:00:00+09:00", "x", "a"), ("2023-12-30T10:00:00+09:00", "x", "b"),
                                      ("2024-01-02T10:00:00+09:00", "x", "c"), ("2024-01-05T10:00:00+09:00", "x", "d")]))
    assert [h.seq for h in ix.search(CASE, "12월 28일~1월 3일")] == [1, 2]


def test_an_index_of_the_old_format_is_rebuilt_in_place(tmp_path: Path) -> None:
    path = tmp_path / "search" / f"{CASE}.db"
    path.parent.mkdir()
    with sqlite3.connect(path) as conn:  # format 1: bigram tokens, no stored tokens, no format row
        conn.executescript("""
            CREATE TABLE segments (id INTEGER PRIMARY KEY, case_id TEXT NOT NULL, evidence_id TEXT NOT NULL,
              seq INTEGER NOT NULL, text TEXT NOT NULL, ts TEXT, day TEXT, speaker TEXT, type TEXT,
              grounds TEXT NOT NULL DEFAULT '[]', UNIQUE(evidence_id, seq));
            CREATE VIRTUAL TABLE segments_fts USING fts5(tokens, content='', tokenize='unicode61 remove_diacritics 0');
            CREATE TABLE vectors (segment_id INTEGER PRIMARY KEY, model TEXT NOT NULL, vec BLOB NOT NULL);
            CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
            INSERT INTO meta VALUES ('version', 3);""")
        conn.execute("INSERT INTO segments VALUES (7, ?, 'old', 0, '남편이 때렸어', '2024-03-09T10:00:00+09:00', "
                     "'2024-03-09', 'x', 'text', '[]')", (CASE,))
        conn.execute("INSERT INTO segments_fts(rowid, tokens) VALUES (7, '남편 때렸 렸어 남 편 때 렸 어')")
    ix = SqliteSearchIndex(tmp_path / "search.db")
    assert [h.seq for h in ix.search(CASE, "때리다")] == [0]
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key='format'").fetchone() == (FORMAT,)
        assert conn.execute("SELECT tokens FROM segments").fetchone() == ("남편 때리",)
    ix.remove_evidence(CASE, "old")  # the upgraded row is removable with its stored tokens
    assert ix.search(CASE, "남편") == [] and ix.count(CASE) == {}


def test_the_shipped_related_words_follow_the_build_rules() -> None:
    from leh.analysis.related import BLOCKED, heads, similar_words

    table, allowed = similar_words(), set(heads())
    assert table["때리"][:2] == ("두들기", "얻어맞") and "구타" not in table.get("폭언", ())
    for head, near in table.items():
        assert head in allowed and head not in near
        assert not set(near) & BLOCKED.get(head, frozenset()), head


def test_a_tag_query_also_finds_the_segments_labelled_with_it_after_the_word_matches(tmp_path: Path) -> None:
    # The demo chat's "신경 꺼 니가 뭔데 나를 감시해" is labelled 폭언 (by the learned model) but holds no word of 폭언's
    # vocabulary: a lawyer searching "폭언" must still find it, after the messages that say 욕 or 소리 지르다.
    from leh.adapters.sqlite_evidence import SqliteEvidenceStore
    from leh.domain.evidence import new_evidence_doc, transition

    store = SqliteEvidenceStore(tmp_path / "evidence.db")
    ix = SqliteSearchIndex(tmp_path / "search.db")
    lines = [("2024-03-09T21:15:00+09:00", "홍길동", "소리 지르지 마 시끄러워"),
             ("2024-03-01T01:15:00+09:00", "홍길동", "신경 꺼 니가 뭔데 나를 감시해"),
             ("2024-03-05T10:00:00+09:00", "김영희", "오늘 저녁 뭐 먹을까"),
             ("2024-03-06T10:00:00+09:00", "홍길동", "<b>뭐</b> 어쩌라고")]
    d = new_evidence_doc(case_id=CASE, evidence_id="chat-tags", filename="대화.txt", size=1, uploaded_by="u")
    d.update(type="kakaotalk", segments=doc(CASE, "chat-tags", lines)["segments"], labels=[
        {"ground": "840-3", "tag": "폭언", "confidence": 0.9, "segments": [1, 3], "source": "engine"},
        {"ground": "840-2", "tag": "가출", "confidence": 0.9, "segments": [2], "source": "lawyer"}])
    for status in ("queued", "processing", "done"):
        transition(d, status)
    store.put(d)
    ix.index_evidence(d)

    got = search_case(ix, CASE, "폭언", evidence=store)
    assert [h["seq"] for h in got] == [0, 1, 3]  # the word match first, then the labelled ones oldest first
    assert got[1]["grounds"] == ["840-3"] and got[1]["score"] == 0.0 and got[1]["ts_label"] == "2024. 3. 1. 01:15"
    assert got[2]["snippet"] == "&lt;b&gt;뭐&lt;/b&gt; 어쩌라고"  # evidence text is escaped, never markup
    assert [h["seq"] for h in search_case(ix, CASE, "폭언", evidence=store, speaker="김영희")] == []
    assert [h["seq"] for h in search_case(ix, CASE, "폭언", evidence=store, date_from="2024-03-02")] == [0, 3]
    assert [h["seq"] for h in search_case(ix, CASE, "폭언", evidence=store, limit=2)] == [0, 1]
    assert [h["seq"] for h in search_case(ix, CASE, "가출", evidence=store)] == [2]  # a lawyer's label counts too
    assert [h["seq"] for h in search_case(ix, CASE, "폭언")] == [0]  # without the store: the words only

    store.mutate("chat-tags", lambda x: {**x, "labels": [lb for lb in x["labels"] if lb["tag"] != "폭언"]})
    assert [h["seq"] for h in search_case(ix, CASE, "폭언", evidence=store)] == [0]  # a removed label is gone at once


def test_a_blow_in_other_words_is_found_by_its_act(tmp_path: Path) -> None:
    ix = SqliteSearchIndex(tmp_path / "search.db")
    ix.index_evidence(doc(CASE, "stmt", [(None, None, "아내가 TV 리모컨으로 제 이마를 내리쳐 이마가 찢어졌습니다."),
                                         (None, None, "아내가 제 머리채를 잡고 흔들었습니다."),
                                         (None, None, "리모컨 가격이 얼마인지 물었습니다.")]))
    assert sorted(h.seq for h in ix.search(CASE, "폭행")) == [0, 1]  # not the remote's price
