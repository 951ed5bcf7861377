"""Round 12: being followed, watched or found (`t:pursue`) and an act against a refusal (`t:forced`)."""

from __future__ import annotations

from leh.analysis.label_model import features, shipped_model
from leh.analysis.labels import grounds_of_texts
from leh.analysis.morph import morphs_many


def _tags(text: str, *, pursuit: bool = True) -> set[str]:
    feats = features(text, morphs_many([text])[0], roles=2, voice=True, acts=True, asserts=True, pursuit=pursuit)
    return {f for f in feats if f in ("t:pursue", "t:forced")}


def test_being_followed_watched_or_found_is_pursuit() -> None:
    assert _tags("이혼 소송 중인데 퇴근하면 주차장까지 따라와요") == {"t:pursue"}
    assert _tags("새 집 주소를 어떻게 알아냈는지 밤에 초인종을 눌러") == {"t:pursue"}
    assert _tags("니가 어디로 도망가도 다 찾아낸다") == {"t:pursue"}
    assert _tags("가게 앞에서 매일 기다리고 서 있어") == {"t:pursue"}


def test_an_act_against_a_refusal_is_forced() -> None:
    assert _tags("싫다고 했는데 억지로 끌고 갔어") == {"t:forced"}
    assert _tags("거부했는데 강제로 방에 데려갔습니다") == {"t:forced"}


def test_plain_lines_have_neither_and_the_option_is_off_by_default() -> None:
    assert _tags("오늘 저녁 뭐 먹을까 치킨 어때") == set()
    assert _tags("그 영화 보기 싫다 너무 길어") == set()  # a dislike, no refusal overridden
    assert _tags("퇴근하면 주차장까지 따라와요", pursuit=False) == set()
    text = "퇴근하면 주차장까지 따라와요"
    assert "t:pursue" not in features(text, morphs_many([text])[0], roles=2, asserts=True)


def test_the_shipped_model_reads_pursuit() -> None:
    assert shipped_model().options.get("pursuit") is True


def test_stalking_after_separation_is_840_3_and_a_dated_insult_stays() -> None:
    got = grounds_of_texts(["별거 중인데 남편이 내 차에 위치 추적기를 달아놓고 가는 곳마다 따라와요",
                            "가족 여행 가서 위치 공유 켜놨어 길 잃으면 연락해",
                            "2024. 3. 2. 남편이 욕을 했다."])
    assert "840-3" in got[0]
    assert got[1] == set()
    assert got[2] == {"840-3"}
