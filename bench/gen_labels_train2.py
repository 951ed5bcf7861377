"""Write `tests/fixtures/eval/train/labels_train2_gen.jsonl`: templated training lines for the label model.

Templates × slot lists (people, places, amounts, verbs, durations) for the situations the learned model keeps
missing — a lover's message timed around the spouse's absence, lodging rows in card statements, 같이 산다,
leaving and cut-off money, door codes, injury records, conditional threats, who abused whom among in-laws and
parents — each beside hard negatives built from the same slots (a family hotel, a shared door code, a joke
"한 번만 더 늦으면", a friend's story). A fixed seed makes the file reproducible; the hand-written lines are in
`labels_train2.jsonl`. Run: `python bench/gen_labels_train2.py` (no arguments; prints the counts).
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Callable
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "eval" / "train" / "labels_train2_gen.jsonl"

SPOUSE = ("남편", "아내", "와이프", "신랑", "집사람", "애 아빠", "애 엄마", "그 사람", "피고", "남편이란 사람")
LOVER_CALL = ("자기야", "애기야", "오빠", "여보야", "자기", "울 애기", "공주님", "허니", "내 사랑")
ABSENT_SPOUSE = ("와이프", "마누라", "집사람", "남편", "신랑", "애 엄마", "애 아빠", "우리 집 그 사람")
ABSENCE = ("친정 갔어", "출장 갔어", "애들 데리고 시골 내려갔어", "야간 근무야", "동창 모임 간대", "처가에 가 있어",
           "해외 출장 중이야", "주말에 시댁 간대", "오늘 늦게 온대", "애들이랑 캠핑 갔어", "입원해 있어")
LOVER_PLAN = ("우리 집으로 와", "오늘 밤 같이 있자", "나 지금 갈게", "그때 갔던 데 가자", "밤새 같이 있을 수 있어",
              "톡 맘껏 해도 돼", "보고 싶어 죽겠어 빨리 와", "자고 가도 돼", "방 잡아둘게", "내 차에서 기다릴게")
FRIEND_PLAN = ("오늘 애들 내가 봐", "저녁 혼자 먹어야 돼", "오늘 애들 재우고 잘게", "청소나 해야겠다",
               "엄마 나 오늘 저녁 먹으러 갈게", "택배 대신 받아줄 수 있어?", "애들 학원 픽업 내가 해")
LOVER_REF = ("그 여자", "그 남자", "상간녀", "상간남", "회사 여직원", "헬스 트레이너", "동호회 여자", "전 여친",
             "첫사랑", "박수진", "김○○", "이 과장", "그 유부녀", "거래처 여자", "대학 동기 여자")
COHABIT = ("같이 살아", "살림 차렸어", "동거하고 있어", "한집에서 지내", "그 집에서 출퇴근해", "같이 산대", "원룸에서 같이 지낸대",
           "아예 들어가 살아")
ROOMMATE = ("엄마", "친정엄마", "동생", "대학 친구", "룸메이트", "시부모님", "애들", "할머니", "사촌 언니")
ROOM_TAIL = ("같이 살아", "같이 살기로 했어", "같이 살아서 집이 좁아", "같이 산 지 2년 됐어")

DATE = ("2024-03-02", "2024.07.19", "24.11.03", "2025/01/25", "2023-12-24", "2024. 9. 6.", "2025-04-11", "23/08/15")
NIGHT = ("00:42", "01:15", "02:37", "03:05", "23:51", "04:20", "밤 11시", "새벽 2시")
DAY = ("09:12", "12:30", "14:05", "15:48", "18:20", "10:05")
CARD = ("신한카드", "KB국민", "삼성카드", "현대카드", "우리카드", "하나카드", "체크카드", "롯데카드", "NH농협")
LODGING = ("○○무인텔", "△△모텔", "(주)스테이호텔 대실", "해피무인텔", "레드모텔", "호텔 더 블루", "○○파크텔",
           "야놀자 결제", "여기어때 숙박", "○○호텔 객실", "□□모텔 대실", "시티호텔")
SHOP = ("GS25", "○○마트", "스타벅스", "○○주유소", "다이소", "올리브영", "○○약국", "카카오택시", "배달의민족", "○○정육점",
        "쿠팡", "○○소아과")
FAMILY_HOTEL = ("○○리조트 (가족여행)", "○○호텔 뷔페 (엄마 생신)", "비즈니스호텔 (출장, 법인카드)", "○○호텔 웨딩홀 식대",
                "키즈펜션 (애들이랑)", "○○호텔 연회장 (돌잔치)")
AMOUNT = ("35,000원", "45,000원", "55,000원", "60,000원", "89,000원", "120,000원", "189,000원", "42,000원", "30,000")
JEWEL = ("○○주얼리 목걸이", "티파니 반지", "까르띠에 팔찌", "○○귀금속 귀걸이", "꽃배달 장미 100송이", "명품관 핸드백")
JEWEL_NOTE = ("(저는 받은 적 없음)", "(나는 못 받았어)", "(제 것이 아님)", "— 이거 누구 줬어?")
JEWEL_OK = ("(내 생일 선물)", "(엄마 환갑 선물)", "(결혼기념일, 같이 고름)", "(딸 졸업 선물)")

DUR = ("석 달", "넉 달", "반년", "1년", "두 달", "몇 달", "8개월", "다섯 달", "일 년 반")
SHORT = ("이틀", "사흘", "하루", "일주일", "한나절")
PET = ("고양이", "강아지", "우리 집 냥이", "햄스터")
LEFT = ("집 나간 지 {d} 됐어", "짐 싸서 나간 지 {d}째야", "안 들어온 지 {d} 지났어", "집에 안 온 지 {d} 넘었어요", "나가서 {d}째 연락도 없어",
        "집을 나간 지 {d}가 지났습니다")
MONEY = ("생활비", "양육비", "애 학원비", "병원비", "분유값", "월세")
CUT = ("끊긴 지 {d} 됐어", "안 준 지 {d} 됐어", "{d}째 한 푼도 안 들어와", "{d} 전부터 안 보내", "끊어버린 지 {d}째예요")
MONEY_OK = ("이번 달 것 보냈어 확인해", "들어왔어 고마워", "다음 주에 보낼게 보너스 나오면", "아껴 쓰자 이번 달 카드값 많이 나왔어",
            "자동이체 걸어놨어", "반반 내기로 했잖아 이체했어")
DOOR = ("현관 비번", "도어락 번호", "번호키", "열쇠", "자물쇠", "현관 비밀번호")
DOOR_BAD = ("바꿔서 못 들어가고 있어", "바꿔놔서 애들이랑 밖에서 기다렸어", "바꿔서 찜질방에서 잤어", "바꾸고 들어오지 말래",
            "바꿔서 내 짐도 못 꺼냈어요", "바꿔버려서 경찰 불렀어")
DOOR_OK = ("바꿨어 새 번호 카톡으로 보낼게", "바꿨어 엄마한테도 알려드려", "바꿨대 관리실에서 알려줬어",
           "바꿨는데 당신 생일로 했어 ㅋㅋ")

BODY_HIT = ("뺨을 때렸어", "머리채를 잡고 끌고 다녔어", "주먹으로 얼굴을 쳤어", "발로 배를 찼어", "목을 졸랐어", "벽에 밀쳤어",
            "머리끄덩이를 잡아당겼어", "팔을 비틀었어", "멱살을 잡고 흔들었어", "등을 발로 밟았어", "물건을 던져서 맞혔어",
            "바닥에 내동댕이쳤어")
HIT_PASSIVE = ("머리채 잡힌 채로 거실까지 질질 끌려갔어", "뺨 맞아서 귀가 안 들려", "발로 차여서 멍이 시퍼래", "목 졸려서 숨을 못 쉬었어",
               "밀쳐져서 식탁에 부딪혔어", "주먹에 맞아서 코피가 났어", "머리끄덩이 잡혀서 머리카락이 빠졌어")
DIAG = ("좌측 안와부 타박상", "비골 골절", "우측 늑골 골절", "경추 염좌", "안면부 열상", "좌측 고막 천공", "전완부 다발성 타박상",
        "두피 열상 및 뇌진탕", "손가락 골절", "대퇴부 타박상")
DIAG_HEAD = ("상해진단서: {x}, 전치 {w}주", "진단서에 {x} {w}주 나왔어요", "응급실 기록: {x}, 배우자에게 폭행당했다고 진술",
             "진료기록부 — {x} (가정폭력 피해 진술)", "병원에서 {x} 진단받았어 남편이 그랬어", "{x}로 {w}주 진단 나왔어 맞아서")
DIAG_OK = ("건강검진 결과: 이상 소견 없음", "진단서: 급성 장염, 3일 입원", "진단서 떼 왔어 회사 병가 내려고", "정형외과: 테니스 엘보, 2주 치료",
           "소견서: 교통사고 경추 염좌 2주 (상대 차량 과실)")
POLICE = ("112 신고 처리 결과: 가정폭력 사건, 가해자 배우자", "경찰 출동 기록: 남편이 아내를 폭행, 현행범 체포",
          "가정폭력 임시조치 결정: 주거지 100m 접근금지", "피해자 진술조서: 배우자가 흉기로 위협함", "가정보호사건 송치 통지서 수령",
          "경찰이 와서 접근금지 신청하라고 했어요, 남편이 때려서")
COND = ("한 번만 더 그러면", "또 그 소리 하면", "이혼하자고 하면", "경찰에 신고하면", "친정에 말하면", "집 나가면",
        "애 데리고 가면", "한 번만 더 대들면", "다시 연락 안 받으면", "변호사 만나면")
THREAT = ("죽여버린다", "가만 안 둬", "다리 분질러버릴 거야", "니 회사에 다 뿌린다", "니 인생 끝이야", "너네 집 불 질러버린다",
          "그땐 진짜 죽는 거야", "각오해", "애들이랑 다 같이 죽자", "니 사진 인터넷에 다 올릴 거야", "찾아가서 묻어버린다")
TRIVIAL = ("저녁 안 해준다 ㅋㅋ", "용돈 깎는다", "나 삐진다", "설거지 니가 해", "치킨은 없어 ㅋㅋ", "게임기 압수야", "혼난다 ㅋㅋ")
TRIVIAL_COND = ("한 번만 더 늦으면", "또 양말 뒤집어 놓으면", "다음에 또 까먹으면", "한 번만 더 코 골면", "또 과자 다 먹으면")

INLAW = ("시어머니", "시아버지", "시부모님", "장모님", "장인어른", "시어머님", "장모", "시아버님")
RELATIVE = ("시누이", "처제", "시동생", "처남", "동서", "아주버님", "처형", "시누")
MY_PARENT = ("우리 엄마", "우리 아빠", "친정엄마", "친정아버지", "내 어머니", "우리 부모님", "저희 아버지", "저희 어머니",
             "우리 노모", "친정 부모님")
TO_ME = ("나한테", "저한테", "나더러", "제게")
ABUSE = ("욕을 했어", "뺨을 때렸어", "밀쳐서 넘어뜨렸어", "물건을 던졌어", "소리 지르며 삿대질했어", "\"늙은이\"라고 했어",
         "멱살을 잡았어", "폭언을 퍼부었어", "\"거지 같은 집안\"이라고 했어", "침을 뱉었어", "주먹을 휘둘렀어")
ABUSE_ME = ("욕을 했어", "뺨을 때렸어요", "\"집안 망신\"이라며 소리 질렀어", "물건을 던졌어요", "\"미친년\"이라고 했어",
            "\"능력도 없는 놈\"이라고 모욕했어요", "머리를 쥐어박았어", "폭언을 퍼부었어요", "밀쳤어")
NICE = ("반찬을 보내주셨어", "용돈을 주셨어", "애들을 봐주셨어", "김장 김치를 주셨어", "생일 축하한다고 전화하셨어")
NICE_TO_PARENT = ("용돈을 드렸어", "안부 전화를 드렸어", "병원에 모셔다 드렸어", "선물을 사 드렸어", "집 수리를 해 드렸어")
OTHER_SENSE = ("비가 창문을 세게 때려", "파도가 방파제를 때리는 영상 봤어", "주사 맞고 왔더니 팔이 뻐근해", "시험 문제 다 맞았대 ㅋㅋ",
               "공에 맞아서 멍 들었어 축구하다가", "바람에 문이 쾅 닫혀서 놀랐어", "멍 때리다가 버스 놓쳤어", "애가 장난감 던져서 TV에 맞았어",
               "모기한테 물려서 부었어", "넘어져서 무릎 깨졌어 계단에서", "죽을 만큼 피곤해", "웃겨 죽겠네", "목 졸리는 느낌이야 넥타이가 꽉 껴서",
               "칼같이 퇴근했어", "뼈 때리는 조언 들었어 팀장님한테")
JOKE_THREAT = ("또 늦으면 죽는다", "내 과자 먹으면 가만 안 둬", "오늘 설거지 안 하면 혼난다", "한 번만 더 코 골면 베란다에서 재운다",
               "치킨 다 먹으면 죽여버릴 거야")
STORY = ("친구 남편이", "옆집 아저씨가", "드라마에서 남편이", "회사 동료 와이프가", "뉴스에서 어떤 남자가", "웹툰 주인공이")

MISSING = ("생사를 모른 지 {d} 됐어요", "소식이 끊긴 지 {d}째예요", "행방불명된 지 {d}이에요", "어디 있는지 아무도 모른 지 {d}",
           "살았는지 죽었는지 모른 지 {d}가 넘었어요", "연락 두절에 행방도 모른 지 {d}째")
LONG = ("3년", "4년", "5년", "3년 반", "6년", "7년", "4년 넘게")
SHORT_CONTACT = ("연락 안 된 지 {d}", "폰 꺼진 지 {d}째야 출장 중이라", "답장 없는 지 {d}, 바쁜가 봐")

HABIT = ("또 경마장 갔어 이번 달만 네 번째", "토토로 월급을 다 날렸어", "매일 밤 소주 두세 병씩 마셔", "술 없으면 손이 떨린대",
         "카지노에서 밤새고 왔어 또", "몰래 대출 받은 게 {a}이야", "사채까지 끌어다 썼대", "바카라 사이트에 {a}을 넣었어",
         "게임 현질로 {a}을 썼어", "코인으로 {a}을 날렸어", "헌금으로 {a}을 냈어 나 몰래", "카드빚이 {a}이래 나 몰래",
         "술만 마시면 필름이 끊겨 일주일에 세 번은", "부부관계를 거부한 지 {y}년째야", "각방 쓴 지 {y}년이고 손도 못 대게 해")
HABIT_OK = ("회식이라 맥주 두 잔 마셨어", "로또 한 장 샀어 ㅋㅋ", "주식 10만원어치 샀어", "주택담보대출 이자 나갔어",
            "게임 좀 하다 잘게 30분만", "교회 같이 갈래?", "와인 한 잔 하자 주말에", "적금 만기 돼서 예금으로 옮겼어")
BIG = ("3천만원", "5천만원", "9천만원", "1억", "2억", "4천", "700만원", "1,500만원")

TAILS_CASUAL = ("", "", "", " ㅠㅠ", " ㅋㅋ", "..", " 진짜", " 어떡해", "!!")
TAILS_POLITE = ("", "", " 어떻게 해야 할까요", " 너무 힘들어요", "요")


def _j(word: str, pair: str) -> str:
    """`word` with the particle that fits its last syllable: pair "이가" → 남편이 / 아내가 (also 이랑, 이야, 을를)."""
    last = word.rstrip(")")[-1]
    batchim = "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 != 0
    first, second = {"이가": ("이", "가"), "이랑": ("이랑", "랑"), "이야": ("이야", "야"), "을를": ("을", "를")}[pair]
    return word + (first if batchim else second)


def _pick(rng: random.Random, xs: tuple[str, ...]) -> str:
    return xs[rng.randrange(len(xs))]


def _style(rng: random.Random, text: str) -> str:
    """A writer's habits: no spacing, a dropped space, a casual tail."""
    r = rng.random()
    if r < 0.08:
        return text.replace(" ", "")
    if r < 0.16 and " " in text:
        i = rng.choice([n for n, c in enumerate(text) if c == " "])
        return text[:i] + text[i + 1:]
    if r < 0.40:
        tail = _pick(rng, TAILS_CASUAL)
        return text + tail if not text.endswith(("요", "다", ".")) else text
    return text


def _row(rng: random.Random, merchant: str, *, night: bool) -> str:
    t = _pick(rng, NIGHT if night else DAY)
    parts = [_pick(rng, DATE), t, _pick(rng, CARD), merchant, _pick(rng, AMOUNT)]
    if rng.random() < 0.3:
        parts.append(_pick(rng, ("승인", "일시불", "결제")))
    if rng.random() < 0.3:
        parts = [parts[0], parts[2], parts[1], *parts[3:]]
    return " ".join(parts)


Gen = Callable[[random.Random], tuple[str, list[str]]]


def _ground(g: str) -> list[str]:
    return [g] if g else []


GENERATORS: list[tuple[int, Gen]] = [
    # 840-1: a lover's message timed around the spouse's absence; the same absence told to family is nothing.
    (45, lambda r: (f"{_pick(r, LOVER_CALL)} {_pick(r, ABSENT_SPOUSE)} {_pick(r, ABSENCE)} {_pick(r, LOVER_PLAN)}", ["840-1"])),
    (25, lambda r: (f"{_pick(r, ABSENT_SPOUSE)} {_pick(r, ABSENCE)} {_pick(r, FRIEND_PLAN)}", [])),
    # lodging rows: motels at any hour, hotels at night; family or business stays are not
    (40, lambda r: (_row(r, _pick(r, LODGING), night=r.random() < 0.7), ["840-1"])),
    (25, lambda r: (_row(r, _pick(r, SHOP), night=r.random() < 0.5), [])),
    (15, lambda r: (_row(r, _pick(r, FAMILY_HOTEL), night=False), [])),
    (15, lambda r: (f"{_pick(r, DATE)} {_pick(r, JEWEL)} {_pick(r, AMOUNT)} {_pick(r, JEWEL_NOTE)}", ["840-1"])),
    (10, lambda r: (f"{_pick(r, DATE)} {_pick(r, JEWEL)} {_pick(r, AMOUNT)} {_pick(r, JEWEL_OK)}", [])),
    # 같이 산다 with a lover vs with family
    (35, lambda r: (f"{_j(_pick(r, SPOUSE), '이가')} {_j(_pick(r, LOVER_REF), '이랑')} {_pick(r, COHABIT)}", ["840-1"])),
    (15, lambda r: (f"{_j(_pick(r, LOVER_REF), '이랑')} 같이 산다는 거야? {_pick(r, ('그래', '응', '어 맞아', '그렇다니까'))}", ["840-1"])),
    (20, lambda r: (f"{_j(_pick(r, ROOMMATE), '이랑')} {_pick(r, ROOM_TAIL)}", [])),
    # 840-2: gone for months, money cut, locked out; a pet gone, money sent, a code shared are not
    (35, lambda r: (f"{_pick(r, SPOUSE)} {_pick(r, LEFT).format(d=_pick(r, DUR))}", ["840-2"])),
    (12, lambda r: (f"{_pick(r, PET)} {_pick(r, LEFT).format(d=_pick(r, SHORT))}", [])),
    (35, lambda r: (f"{_pick(r, MONEY)} {_pick(r, CUT).format(d=_pick(r, DUR))}", ["840-2"])),
    (20, lambda r: (f"{_pick(r, MONEY)} {_pick(r, MONEY_OK)}", [])),
    (30, lambda r: (f"{_j(_pick(r, SPOUSE), '이가')} {_pick(r, DOOR)} {_pick(r, DOOR_BAD)}", ["840-2"])),
    (20, lambda r: (f"{_pick(r, DOOR)} {_pick(r, DOOR_OK)}", [])),
    # 840-3: violence, injury records, police, conditional threats; a joke condition is not
    (35, lambda r: (f"{_j(_pick(r, SPOUSE), '이가')} {_pick(r, ('나를', '제', '내', '저를', '애들 앞에서 내'))} {_pick(r, BODY_HIT)}", ["840-3"])),
    (20, lambda r: (_pick(r, HIT_PASSIVE), ["840-3"])),
    (30, lambda r: (_pick(r, DIAG_HEAD).format(x=_pick(r, DIAG), w=r.randint(2, 8)), ["840-3"])),
    (10, lambda r: (_pick(r, DIAG_OK), [])),
    (12, lambda r: (_pick(r, POLICE), ["840-3"])),
    (40, lambda r: (f"{_pick(r, COND)} {_pick(r, THREAT)}", ["840-3"])),
    (20, lambda r: (f"{_pick(r, TRIVIAL_COND)} {_pick(r, TRIVIAL)}", [])),
    # who abused whom: the spouse's parents → 840-3, other in-laws → 840-6, the spouse → the client's parent → 840-4
    (30, lambda r: (f"{_j(_pick(r, INLAW), '이가')} {_pick(r, TO_ME)} {_pick(r, ABUSE_ME)}", ["840-3"])),
    (30, lambda r: (f"{_j(_pick(r, RELATIVE), '이가')} {_pick(r, TO_ME)} {_pick(r, ABUSE_ME)}", ["840-6"])),
    (40, lambda r: (f"{_j(_pick(r, SPOUSE), '이가')} {_pick(r, MY_PARENT)}한테 {_pick(r, ABUSE)}", ["840-4"])),
    (15, lambda r: (f"{_j(_pick(r, INLAW), '이가')} {_pick(r, TO_ME)} {_pick(r, NICE)}", [])),
    (12, lambda r: (f"{_j(_pick(r, SPOUSE), '이가')} {_pick(r, MY_PARENT)}한테 {_pick(r, NICE_TO_PARENT)}", [])),
    (15, lambda r: (f"{_pick(r, STORY)} {_pick(r, ('아내', '남편', '시어머니', '장모'))}한테 {_pick(r, ABUSE)}", [])),
    # 840-5: years without a sign of life; a phone off for days is not
    (25, lambda r: (f"{_pick(r, SPOUSE)} {_pick(r, MISSING).format(d=_pick(r, LONG))}", ["840-5"])),
    (12, lambda r: (f"{_pick(r, SPOUSE)} {_pick(r, SHORT_CONTACT).format(d=_pick(r, SHORT))}", [])),
    # 840-6: habits that ruin the household; a beer or a lottery ticket does not
    (40, lambda r: (f"{_j(_pick(r, SPOUSE), '이가')} {_pick(r, HABIT).format(a=_pick(r, BIG), y=r.randint(2, 9))}", ["840-6"])),
    (20, lambda r: (f"{_pick(r, SPOUSE)} {_pick(r, HABIT_OK)}", [])),
    # the same acts with the target swapped: the client (840-3) or the client's parent (840-4)
    (25, lambda r: (f"{_j(_pick(r, SPOUSE), '이가')} {_pick(r, TO_ME)} {_pick(r, ABUSE)}", ["840-3"])),
    (25, lambda r: (f"{_j(_pick(r, SPOUSE), '이가')} {_pick(r, MY_PARENT)}한테 {_pick(r, ABUSE_ME)}", ["840-4"])),
    # violent words in other senses and in jokes
    (20, lambda r: (f"{_pick(r, OTHER_SENSE)}", [])),
    (15, lambda r: (f"{_pick(r, LOVER_CALL[:1] + ('야', '너'))} {_pick(r, JOKE_THREAT)} {_pick(r, ('ㅋㅋㅋ', 'ㅎㅎ', '장난이야', '농담임 ㅋㅋ'))}", [])),
]


def generate(seed: int = 20261206) -> list[dict[str, object]]:
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[dict[str, object]] = []
    for count, gen in GENERATORS:
        made = tries = 0
        while made < count and tries < count * 20:
            tries += 1
            text, grounds = gen(rng)
            text = _style(rng, text)
            if text in seen:
                continue
            seen.add(text)
            out.append({"text": text, "grounds": grounds})
            made += 1
    return out


def write_rows(rows: list[dict[str, object]], out: Path) -> None:
    """The generated lines as JSON lines, with a count per ground on stdout."""
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    per = Counter(g for r in rows for g in r["grounds"])  # type: ignore[attr-defined]
    print(f"{len(rows)} lines → {out.name}; negatives {sum(not r['grounds'] for r in rows)}; {dict(sorted(per.items()))}")


def main() -> None:
    write_rows(generate(), OUT)


if __name__ == "__main__":
    main()
