"""Pseudonyms for outbound AI requests (issue #18): names with their particles, roles by the client's side,
restoring replies, the names Kiwi finds, and numbering that stays put as a case grows."""

from __future__ import annotations

import uuid

from leh.analysis.pseudonyms import Pseudonymizer, person_names
from leh.container import Container
from leh.domain.parties import Child, ClientSide, Parties, Person
from leh.services import accounts, cases
from leh.services import parties as parties_svc
from leh.services.pseudonyms import CasePseudonyms

PARTIES = Parties(Person("김영희", ("영희",)), Person("홍길동", ("남편",)), (Child("홍민준", 2015),))


def test_names_and_aliases_are_replaced_with_their_particles_kept_but_not_inside_other_words() -> None:
    p = Pseudonymizer.build(PARTIES, ["박지훈", "지원"])
    assert p.pseudonymize("홍길동이 어제 또 때렸어") == "피고이 어제 또 때렸어"
    assert p.pseudonymize("길동아 그만해, 영희씨가 그랬잖아") == "피고아 그만해, 원고씨가 그랬잖아"
    assert p.pseudonymize("민준이 학교, 박지훈이랑 지원이한테") == "자녀1이 학교, 인물1이랑 인물2이한테"
    assert p.pseudonymize("민준엄마 길동인데 박지훈팀장이라고") == "자녀1엄마 피고인데 인물1팀장이라고"
    # a name inside another word stays: 지원금 is money, 홍길동전 a book, 남편 a role, not a name
    assert p.pseudonymize("지원금 받고 홍길동전 읽었어 남편이") == "지원금 받고 홍길동전 읽었어 남편이"
    latin = Pseudonymizer.build(None, ["Jay"])
    assert latin.pseudonymize("Jay랑 Jayden, Jay.") == "인물1랑 Jayden, 인물1."
    # numbers are masked as before
    assert p.pseudonymize("영희 900101-1234567 010-1234-5678") == "원고 [주민번호] [전화번호]"


def test_the_client_as_defendant_is_called_피고() -> None:
    p = Pseudonymizer.build(Parties(Person("김영희"), Person("홍길동"), client_side=ClientSide.DEFENDANT))
    assert p.pseudonymize("김영희와 홍길동") == "피고와 원고"
    assert p.restore("원고가 피고에게") == "홍길동이 김영희에게"


def test_replies_get_the_names_back_with_fitting_particles_and_quotes_as_written() -> None:
    others = [f"인물{i}" for i in range(1, 12)]  # names that look like pseudonyms are still just names
    p = Pseudonymizer.build(PARTIES, ["박지훈", *[f"이름{i}" for i in range(1, 13)], *others])
    twelve = p.pseudonymize("이름12")
    assert twelve == "인물13"
    assert p.restore("피고가 원고를 때렸고 인물1은 자녀1과 있었다") == "홍길동이 김영희를 때렸고 박지훈은 홍민준과 있었다"
    assert p.restore(f"{twelve}의 말") == "이름12의 말"  # 인물13 is not 인물1 followed by 3
    assert p.restore("피고인 신문, 원고료") == "피고인 신문, 원고료"  # pseudonyms inside other words stay
    original = "민준이 데려간다 010-1234-5678"
    sent = p.pseudonymize(original)
    assert sent == "자녀1이 데려간다 [전화번호]"
    # a quotation of what was sent comes back as the evidence wrote it (numbers still masked)
    assert p.restore(f"피고는 “{sent}”라고 했다", [original]) == "홍길동은 “민준이 데려간다 [전화번호]”라고 했다"
    assert p.restore("“자녀1이 데려간다”", [original]) == "“민준이 데려간다”"


def test_kiwi_finds_people_but_not_places() -> None:
    names = person_names(["김영희 너 한 번만 더", "박지훈이랑 바람피운 거", "서울 가서 카카오톡으로 보냈어",
                          "영희씨가 그랬잖아"], speakers=["홍길동", "화자1", None])
    assert names == ["홍길동", "김영희", "박지훈", "영희"]


def test_a_case_numbers_its_people_in_the_order_it_saw_them(container: Container) -> None:
    with container.sessions() as db:
        user = accounts.create_user(db, email="lawyer@test.local", password="password-123", role="lawyer")
        case = cases.create_case(db, user, title="사건")
        parties_svc.store(db, case.id, PARTIES)
        db.commit()

    def put(names: list[str], at: str) -> str:
        evidence_id = str(uuid.uuid4())
        container.evidence.put({"case_id": case.id, "evidence_id": evidence_id, "filename": "a.txt",
                                "status": "done", "person_names": names, "person_names_at": at})
        return evidence_id

    source = CasePseudonyms(container.sessions, container.evidence)
    put(["홍길동", "박지훈"], "2024-01-01T00:00:00Z")
    first = source.for_case(case.id, texts=["최민수가 누구야"]).pseudonymize("박지훈이 누구야, 최민수가 누구야")
    assert first == "인물1이 누구야, 인물2가 누구야"  # a name only the request holds comes after the case's
    second = put(["이수진", "박지훈"], "2024-02-01T00:00:00Z")
    later = source.for_case(case.id, texts=["최민수가 누구야"])
    assert later.pseudonymize("박지훈, 이수진, 최민수, 홍길동") == "인물1, 인물2, 인물3, 피고"
    assert source.for_case(str(uuid.uuid4())).pseudonymize("홍길동") == "홍길동"  # another case knows nobody
    # an evidence's own texts were read for names when it was processed: its stored names are what counts
    own = source.for_case(case.id, texts=["최민수가 누구야"], evidence_id=second)
    assert own.pseudonymize("최민수, 이수진") == "최민수, 인물2"
