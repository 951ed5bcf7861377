"""Write `tests/fixtures/eval/train/labels_train3_gen.jsonl`: the third round's templated training lines.

Round 2's lines came from one writer's chat voice; on another writer's text the model missed injury records with
uncommon verbs (목을 조르다, 담뱃불로 지지다, 벽에 부딪히게 하다), threats as demands (빌지 않으면 …), control (위치 확인
강요, 베란다에 가두기), a parent as a bare object (장모 주제에, 노인네), in-law and lover messages, 840-5 records (고지서,
폐문부재, 사용내역 없음) and 840-6 debt and gambling rows. These templates cover those kinds of wording in the
document kinds the corpus lacked — voice-memo transcripts, 3rd-person 상담일지, 진술서 sentences, 내용증명, bank memo
fields, receipts, police and 실종 records, 사투리, OCR text with broken spacing — each beside hard negatives built from
the same words (요가 근육통, a film's line, a friend's story, 금주 석 달째, a 모텔 investment seminar, a night at 언니네,
denials, witnesses who saw nothing). Written after reading blind2's errors: the categories, not its lines (no line is
a near copy of any eval line, `bench/check_eval_overlap.py`).
A fixed seed makes the file reproducible. Run: `python bench/gen_labels_train3.py` (prints the counts).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from gen_labels_train2 import write_rows  # a script beside it in bench/ (run as `python bench/…`)

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "eval" / "train" / "labels_train3_gen.jsonl"


def _pick(rng: random.Random, xs: tuple[str, ...]) -> str:
    return xs[rng.randrange(len(xs))]


def _j(word: str, pair: str) -> str:
    """`word` with the particle that fits its last syllable (이가, 을를, 은는, 과와, 이랑)."""
    last = word.rstrip(")")[-1]
    batchim = "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 != 0
    first, second = {"이가": ("이", "가"), "을를": ("을", "를"), "은는": ("은", "는"), "과와": ("과", "와"),
                     "이랑": ("이랑", "랑")}[pair]
    return word + (first if batchim else second)


# ------------------------------------------------------------------ slots
HUSB = ("남편", "신랑", "애 아빠", "그 인간", "남편이란 사람", "피고", "배우자", "우리 집 양반", "저 사람")
WIFE = ("아내", "와이프", "집사람", "애 엄마", "마누라", "피고", "배우자", "그 여자")
SPOUSE = HUSB + WIFE
AGENT_3P = ("남편", "배우자", "피고", "상대방", "아내")  # 상담일지 / 진술서 voice
CLIENT_3P = ("내담자", "원고", "의뢰인", "신청인", "피해자")

# 840-3: acts of violence in many verbs (active, told by the victim) and what they leave behind
HIT = ("목을 졸랐어", "머리를 벽에 박았어", "라이터 불로 손등을 지졌어", "머리카락을 움켜쥐고 방으로 끌고 갔어", "화분을 집어 던졌어",
       "정강이를 구둣발로 걷어찼어", "얼굴을 할퀴었어", "팔을 물어뜯었어", "휴대폰 모서리로 정수리를 찍었어", "허리띠로 등을 때렸어",
       "뜨거운 국을 끼얹었어", "무릎 꿇리고 뺨을 갈겼어", "계단에서 밀어버렸어", "옷걸이로 종아리를 후려쳤어",
       "손목을 꺾었어", "베개로 얼굴을 눌렀어", "리모컨으로 이마를 찍었어", "바닥에 패대기쳤어", "의자를 집어던졌어",
       "주먹으로 옆구리를 쳤어", "머리를 쥐어박았어", "발로 등을 짓밟았어")
HIT_PASSIVE = ("목이 졸려서 눈앞이 하얘졌어", "벽에 머리를 찧어서 혹이 났어", "라이터에 덴 흉터가 아직 남아 있어",
               "질질 끌려다녀서 무릎이 다 까졌어", "던진 컵에 맞아서 이마가 찢어졌어", "발에 차여서 갈비뼈에 금 갔대",
               "물린 자국이 시퍼렇게 남았어", "뜨거운 물에 데어서 물집 잡혔어", "맞고 나서 귀에서 삐 소리가 나",
               "머리채 잡혀서 두피에 피딱지가 앉았어", "밀려 넘어져서 손목이 부러졌어", "뺨을 하도 맞아서 입안이 터졌어")
HIT_FORMAL = ("원고의 목을 양손으로 졸랐다", "원고의 머리를 붙잡아 식탁 모서리에 찧게 하였다", "원고의 손등에 뜨거운 다리미를 갖다 대었다",
              "원고의 머리채를 잡아 거실 바닥에 끌고 다녔다", "원고에게 유리컵을 던져 이마에 맞게 하였다",
              "원고의 복부를 발로 걷어찼다", "원고의 얼굴을 손톱으로 할퀴었다", "원고를 현관 밖으로 밀어내고 잠옷 차림으로 두 시간 동안 문을 열어주지 않았다",
              "원고의 휴대전화를 빼앗아 부수고 뺨을 때렸다", "원고의 손목을 비틀어 골절상을 입혔다")
WHEN = ("2024. 3. 14. 22:30경", "2023. 11. 2. 새벽", "2025. 1. 5. 23:00경", "2022. 8. 말경", "같은 해 10월경", "결혼 직후부터",
        "2024년 설 연휴 중", "2021. 6. 19. 밤")
INJ_RECORD = ("상해진단서 — 병명: {x}, 치료기간 {w}주, 수상 경위: 배우자에게 맞음", "응급실 기록지: {x} / 환자 진술 \"남편이 때렸다\"",
              "진료비 영수증 — {x} 치료 (가정폭력 피해자 지원 대상)", "외래 경과기록: {x}, 보호자(배우자) 동행 거부, 폭행 의심",
              "{x} 진단 {w}주 나왔어요 그 사람이 그런 거예요", "사진 첨부: {x} 부위, 촬영일 {d} (배우자 폭행 후)")
INJ = ("경부 압박흔", "좌측 전완부 화상", "두피 혈종", "우측 안와 골절", "늑골 골절", "다발성 찰과상", "고막 천공",
       "안면부 다발성 타박", "요추 염좌 및 타박", "손목 골절")
INJ_OK = ("상해진단서 — 병명: 족관절 염좌, 수상 경위: 등산 중 미끄러짐", "응급실 기록지: 급성 장염, 수액 처치 후 귀가",
          "진료비 영수증 — 스케일링 및 충치 치료", "외래 경과기록: 허리 디스크 물리치료 3회차", "사진 첨부: 수술 부위 실밥 제거 후 상태",
          "화상 연고 샀어 라면 끓이다 데었어", "넘어져서 손목 깁스했어 빙판길에서")
# threats as demands and consequences
DEMAND = ("무릎 꿇고 빌어", "당장 들어와", "시키는 대로 해", "이혼 얘기 꺼내지 마", "내 말에 토 달지 마", "돈 다 내놔",
          "휴대폰 비번 불어", "합의서에 도장 찍어")
CONSEQ = ("안 그러면 오늘 잠 못 잘 줄 알아", "안 하면 애들 다시는 못 볼 줄 알아", "안 하면 니 회사 찾아간다", "아니면 니 식구들 다 가만 안 둬",
          "안 그러면 뼈도 못 추릴 줄 알아", "안 하면 집에 불 지른다", "그러지 않으면 어떻게 되는지 보여줄게", "말 안 들으면 확 묻어버린다",
          "안 그러면 니 사진 다 뿌린다")
JOKE_DEMAND = ("빨리 와 안 오면 치킨 내가 다 먹는다", "설거지 해 안 하면 내일 밥 없어 ㅋㅋ", "일찍 자 안 그러면 내일 또 늦잠 잔다",
               "숙제 해 안 하면 게임 금지야", "물 마셔 안 그러면 또 머리 아프다")
CONTROL = ("퇴근길마다 영상통화 켜고 누구랑 있는지 보여달래", "휴대폰 위치 공유 안 켜면 난리가 나", "친구 못 만나게 하고 외출하면 따라와",
           "월급 통장 뺏어가고 하루 만원씩만 줘", "문 밖에서 잠그고 나가서 하루 종일 못 나갔어", "다용도실에 밀어 넣고 불 끄고 밖에서 잠갔어",
           "매일 밤 폰 검사하고 카톡 다 읽어", "잠 못 자게 밤새 세워놓고 반성문 쓰게 했어", "차 키랑 지갑 숨겨서 출근도 못 하게 해")
CONTROL_FORMAL = ("피고는 원고의 모든 지출 영수증을 매일 검사하고 설명하지 못하면 폭언하였습니다",
                  "피고는 원고의 급여 통장을 관리하며 생활에 필요한 돈조차 주지 않았습니다",
                  "피고는 원고를 방에 가두고 밖에서 문을 잠근 채 외출하였습니다",
                  "내담자는 배우자가 휴대폰을 매일 검사하고 지인과의 연락을 끊게 한다고 호소함",
                  "내담자는 남편이 새벽까지 잠을 재우지 않고 반성문을 쓰게 한다고 진술함")
ORDER = ("법원에서 {h}한테 퇴거 명령 내렸대 집에서 나가래", "피해자보호명령 나왔어 {h} 나한테 연락도 못 하게 됐대",
         "경찰이 {h}한테 접근금지 걸었대 어젯밤 일로", "112 출동 기록: 가정폭력, 행위자 {h}, 피해자 안면 부종",
         "가정폭력 상담소 확인서: 내담자는 {h}에게 반복적으로 폭행당함")
# in-law messages (the spouse's parents → the client: 840-3)
SIL_VOICE = ("시엄마", "시어머님", "시아버님", "어머님", "시아버지", "시어머니", "장모님", "장인어른")
SIL_SAID = ("\"니가 우리 집 재산 노리고 들어왔지\" 하셨어", "\"애도 못 낳는 게\"라고 하셨어", "\"우리 아들 인생 망친 년\" 하셔",
            "\"근본 없는 집안\" 소리 또 하셨어", "국그릇을 내 쪽으로 던지셨어", "밥상을 엎으셨어", "\"니 친정 가서 살아\" 하고 짐 내다 버리셨어",
            "손바닥으로 내 등을 내리치셨어요", "\"집에서 놀고먹는 주제에\" 하셨어요", "내 머리를 손으로 밀치셨어")
SIL_NICE = ("김치 보내주셨어", "주말에 손주들 데리고 동물원 가신대", "병원비 보태라고 돈 주셨어", "생일이라고 전화 주셨어", "반찬 잔뜩 싸 주셨어",
            "\"우리 며느리 고생 많다\" 하셨어")
# 840-4: the spouse against the client's parents, parent as a bare object, parent's own voice
PARENT_OBJ = ("장모", "니 엄마", "느그 엄마", "너네 아버지", "그 노인네", "니네 엄마", "장인 영감", "너희 부모")
PARENT_INSULT = ("{p} 따위가 뭘 안다고 입을 대", "{p} 우리 집 근처에 얼씬도 못 하게 해 보이면 쫓아낸다", "{p}한테 문자 한 번만 더 오면 집으로 쳐들어간다",
                 "{p} 밑에서 배운 게 그 모양이니 집안 꼴이 이렇지", "{p}한테 가서 다 엎어버릴 거야", "{p} 집 현관문 다 부숴버린다",
                 "{p} 얼굴만 봐도 토 나와 다신 오지 말라 그래", "{p} 늙어서 곱게 죽기 싫으면 가만있으라 해")
PARENT_ACT = ("장모님 가게에 찾아가서 손님들 앞에서 고함치고 의자 집어던졌어", "친정아빠한테 \"영감탱이\"라고 소리 질렀어", "엄마 생신상 앞에서 술상 엎었어",
              "우리 엄마 밀쳐서 엄마가 넘어지셨어", "친정엄마 전화 받고 \"늙은 게 왜 자꾸 끼어들어\"라고 했어",
              "우리 아빠 옷깃 움켜쥐고 벽으로 밀어붙였어", "친정에 쳐들어가서 아빠 통장이랑 도장 뺏어 갔어", "우리 부모님한테 \"돈이나 내놔\"라고 협박했어")
PARENT_VOICE = ("사위가 나를 밀쳐서 넘어졌다", "며느리가 손주 보러 간 나를 현관에 세워두고 \"다신 오지 마세요\" 소리치더라", "사위가 내 멱살을 잡았어",
                "며느리가 나보고 \"늙으면 죽어야지\" 하더라", "사위 놈이 우리 집에 와서 살림을 다 부쉈다", "며느리가 내 얼굴에 물을 끼얹었다")
PARENT_FORMAL = ("원고의 부친(6{a}세)은 피고가 던진 휴대폰에 맞아 눈썹 위가 찢어짐", "피고는 원고의 부친에게 \"노망난 영감\"이라며 삿대질하고 욕설을 하였다",
                 "의뢰인의 어머니는 사위가 휘두른 주먹에 안경이 깨졌다고 진술함", "피고는 원고의 부모 집을 찾아가 현관문을 부수고 행패를 부렸다",
                 "내담자의 친정어머니는 사위로부터 \"다시 오면 죽여버린다\"는 문자를 받음")
PARENT_OK = ("장모님 좋아하시는 떡 맞춰서 주말에 들고 갈게", "니 엄마 오시면 소고기 구워 드리자", "장인어른 병원 모셔다 드렸어",
             "엄마 집 비번 알려줘 택배 넣어 놓게", "사위가 우리 집 보일러 고쳐줬어", "며느리가 반찬 해서 들고 왔더라",
             "친정아빠 칠순 잔치 장소 예약했어")
# 840-1: lover's voice, secrecy, a child's or a friend's report, a detective's log, cohabiting
LOVER = ("자기", "자기야", "애기야", "오빠", "여보야", "베이비", "울 자기")
LOVER_MSG = ("{c} 오늘 하루 종일 니 생각만 했어 {s} 옆에 누워서도", "{c} {s} 자면 전화할게 조금만 기다려",
             "{c} {s}가 요즘 의심해서 당분간 전화는 하지 말자", "{c} 어제 같이 있던 거 아직도 생각나", "{c} {s}랑 언제 정리할 거야",
             "{c} 주말에 {s} 몰래 바다 보러 가자", "{c} 사진 지웠지? {s}가 볼까 봐 걱정돼", "{c} {s} 없는 날 우리 집 와서 자고 가",
             "{c} 선물한 향수 {s}가 물어보면 회사 거라고 해")
SECRET = ("집에 오기 전에 대화방 나가기 하는 거 다 봤어", "폰 비번 바꾸고 화장실까지 들고 가", "차 블랙박스 메모리 카드만 쏙 빼놨더라",
          "세컨폰 하나 더 있더라 서랍 안쪽에", "텔레그램 깔아놓고 대화방은 다 비밀 채팅이야", "사진첩에 숨김 폴더 있더라 여자 사진 가득",
          "휴대폰 알림 다 꺼놓고 엎어놓고 자", "위치 공유 끄고 주말마다 골프 간다고 나가")
SEEN = ("엄마 아빠 폰에 하트 보낸 여자 누구야? 나 봤어", "아빠 차에 모르는 여자 머리끈 있었어", "엄마가 모르는 아저씨 차에서 내렸어",
        "니 남편 어떤 여자랑 영화관에서 팔짱 끼고 있더라", "너네 와이프 어떤 남자랑 호텔 로비에 있던데", "형부가 웬 여자랑 백화점에서 반지 고르더라")
DETECT = ("조사 보고서: 대상자(배우자) 여성과 ○○모텔 입실 {t}, 익일 07:10 퇴실", "미행 기록 — 대상자, 동일 여성 주거지에 22시 입실 후 숙박",
          "흥신소 사진: 대상자와 여성이 손잡고 오피스텔 출입 ({d})", "블랙박스 음성: \"자기 오늘 와이프 없어\" (녹음 {d})",
          "통화 내역 — 동일 번호와 새벽 시간대 통화 {n}회 (배우자 명의 휴대폰)")
COHAB = ("회사 근처에 방 얻어서 그 여자랑 신혼처럼 지낸대", "그 남자 원룸에서 같이 출퇴근한대", "상간녀 집에 칫솔이랑 옷 다 갖다 놨대",
         "그 여자 애까지 데리고 같이 산대", "오피스텔 얻어서 둘이 산다더라")
STORY = ("아는 언니 남편이", "옆 팀 과장님이", "드라마에서 남주가", "사촌 언니 남편이", "친구 와이프가", "웹소설 주인공이",
         "뉴스에 나온 어떤 남자가", "회사 선배가")
STORY_ACT = ("사내 연애하다 들켰대", "칼 들고 협박하는 장면 나왔어", "집 나간 지 석 달이래",
             "도박으로 집 날렸대", "장모한테 욕했대", "아내를 때려서 신고당했대", "모텔에서 나오다 걸렸대")
# 840-2
LEAVE = ("새벽에 캐리어 끌고 나가더니 안 돌아와", "나가서 따로 방 얻었대 {d}째 집엔 코빼기도 안 비쳐", "애들 두고 나가서 {d}째 안 들어와",
         "자기 물건만 챙겨서 나가고 전화도 꺼놨어", "집에 안 들어온 지 {d}인데 어디 사는지는 알아 오라고 해도 안 와")
MONEY = ("{a}씩 넣어주던 거 이번 달부터 딱 끊었어", "가스비 전기세 내던 카드를 해지해서 {d}째 연체야", "생활비 카드 정지시켜놨어 {d}째",
         "애 급식비 밀렸다고 문자 보냈는데 {d}째 답도 없어", "월급 들어오는 통장 바꾸고 {d}째 한 푼도 안 줘",
         "분유 살 돈도 없다고 했더니 알아서 하래", "아이 치료비 얘기 꺼내자마자 카톡 프로필까지 숨겼어")
MONEY_ROW = ("{d0} 이체 내역 — 피고 → 원고 0원 (전월까지 매월 {a})", "{d0} 적요: 생활비 / 입금 없음 (최근 {d})",
             "통장 거래내역 {d0}~: 배우자 입금 중단, 관리비 미납 안내 {n}회")
LOCK = ("니 짐 싸서 {p}에 보냈으니까 이제 오지 마", "이 집 문턱 넘을 생각 하지 마 내 명의야", "짐 문 앞에 내놨으니까 알아서 가져가",
        "도어락 바꿔서 애들이랑 차에서 잤어", "니 방 정리했어 이제 여기 니 집 아니야")
LOCK_PLACE = ("경비실", "친정", "택배함", "관리사무소", "니 동생 집")
MONEY_OK = ("{a} 방금 쏴줬어 장 보는 데 써", "관리비 자동이체 내 통장으로 바꿨어", "학원비 방금 보냈어 영수증 줄게",
            "월급 들어오면 바로 생활비 넣을게", "카드 분실 신고해서 정지시켜놨어 새로 나올 거야")
QUIT_OK = ("금주 {d}째야 앱에 도장 찍는 중", "담배 끊은 지 {d} 됐어", "헬스 끊었어 {d}째 안 가", "야식 끊은 지 {d}째 살 빠졌다",
           "커피 끊었더니 {d}째 두통이 없어")
STAY_OK = ("머리 좀 식히게 오늘은 언니네서 자고 내일 아침에 갈게", "머리 좀 식히고 이틀 뒤에 들어갈게 애들 부탁해", "애 감기 옮을까 봐 며칠 애랑 작은방에서 잘게",
           "주말부부 하기로 둘이 정했잖아 생활비는 계속 보낼게", "이사 준비로 짐 먼저 빼놨어")
# 840-5: records of an unknown whereabouts for years
MISS_REC = ("실종 신고 {y}년 접수 — 지구대 회신: 현재까지 발견되지 않음", "{h} 앞으로 온 과태료 통지서가 현관에 {n}년째 그대로야",
            "금융거래 조회 결과: 배우자 명의 계좌 {y}년 이후 입출금 전무", "시댁 식구들도 {y}년 이후로는 {h} 목소리 한 번 못 들었대요",
            "{place}에서 {y}년에 봤다는 사람이 마지막이고 그 뒤로는 아무 흔적이 없어", "소장 부본 송달 불능(수취인 불명) — 공시송달 신청 예정, {y}년 이후 소재 불명",
            "건강보험 진료 이력 {y}년 이후 없음 (배우자)", "출입국 기록 조회: {y}년 출국 후 입국 기록 없음, 현재 소재 불명",
            "주민등록 거주불명 등록 — {h}, {y}년부터", "{y}년 {m}월 이후 생사를 확인할 길이 없습니다 휴대폰은 해지됐고요")
MISS_PLACE = ("부산항", "인천공항", "대전역", "목포", "강원도 정선", "베트남 호치민")
MISS_OK = ("{h} 출장 가서 사흘째 연락이 잘 안 돼 바쁜가 봐", "{h} 따로 나가 살지만 주소는 알아 애들 보러 가끔 와",
           "고지서가 {n}장 쌓였네 여행 다녀오느라", "폐문부재로 반송됐대 이사 간 주소 다시 적어 보낼게", "{h} 해외 파견 {n}년째인데 매일 영상통화 해")
# 840-6: debt, gambling, alcohol, religion, relatives, crime
DEBT = ("신용정보 조회해 보니 {h} 명의 대출이 {n}건, 합계 {a}", "추심 업체에서 {h} 빚 갚으라고 하루에 {n}번씩 전화 와요",
        "{d0} 채권추심 최고장 / 원금 {a} / 채무자 배우자", "미수 거래로 {a} 손실 났는데 전세금 빼서 메웠대",
        "카드론 돌려막기 하다가 {a} 빚이 생겼대 나 몰래", "코인 선물에 전세금 {a} 넣었다가 다 날렸어", "내 명의로 보증 서서 {a} 갚으라고 연락 와")
GAMBLE = ("{h}이 슬롯머신 한다고 애 저금통까지 털었어요", "{h} 또 맞고 치러 가서 아침에 들어왔어 이번 주만 세 번째",
          "{d0} 인터넷 카지노 충전 {a} (카드 승인 {n}건)", "불법 토토 사이트 충전 내역만 {n}건이야", "경마장에서 월급 다 날리고 또 빌려달래",
          "홀덤펍 간다고 나가서 {a} 잃고 왔어")
DRINK = ("정신건강의학과 소견서: 알코올 의존, 금단 증상으로 외래 치료 중 (배우자)", "매일 소주 세 병 안 마시면 잠을 못 자 벌써 {n}년째야",
         "술 때문에 회사에서 잘렸는데 또 아침부터 마셔", "술만 들어가면 밤새 고함치고 물건 부숴 일주일에 네 번은")
RELIG = ("성경공부 모임 간다고 주말마다 애들 두고 나가 헌금도 몰래 내", "헌금 낸다고 적금 {a} 깼어 나한테 말도 없이",
         "교회 안 나가면 지옥 간다고 애들한테 매일 겁줘", "굿한다고 대출받아서 {a} 무당한테 줬대")
RELATIVE = ("처형이 모임에서 나한테 \"제부는 돈도 못 벌면서 무슨 큰소리냐\"고 망신 줬어", "시누이가 시댁 모임에서 나더러 \"거지 같은 집 딸\"이라고 대놓고 말했어",
            "동서가 명절마다 나만 부엌에 세워두고 \"근본 없는 집 딸\"이라고 해", "시동생이 술 먹고 와서 나한테 삿대질하며 욕했어",
            "아주버님이 \"제수씨 같은 사람 때문에 집안 망한다\"고 소리 질렀어")
CRIME = ("{h} 횡령으로 실형 나와서 {n}년 동안 교도소에 있어야 된대", "{h}이 구속됐다는 연락 받았어 마약 혐의래", "성매매로 입건됐다고 집으로 통지서가 왔어")
SIX_OK = ("주택담보대출 같이 받기로 했잖아 은행 {n}시 예약했어", "적금 만기라 {a} 예금으로 옮겼어", "벌써 결혼 {n}주년이네 저녁 맛있는 거 먹자",
          "교회 수련회 애들이랑 같이 가자", "회식이라 맥주 두 잔만 마시고 갈게", "경마 다큐 봤는데 재밌더라", "보험 대출 이자 자동이체 했어",
          "처제 신혼집 집들이 선물 뭐가 좋을까", "시누이가 애들 선물 보내줬어", "편의점에서 즉석 복권 긁었는데 꽝 ㅋㅋ")
MISC_OK = ("영화에서 악역이 '다 죽여버리겠다' 하는 장면 보고 잠 못 잤어", "요가 첫날이라 온몸이 얻어맞은 것처럼 아파",
           "숙박업 투자 세미나 가서 모텔 매물 봤어", "나 손 하나 안 댔어 소리도 안 질렀고", "모텔 리모델링 견적 내러 출장 가",
           "목이 졸리는 꿈 꿨어 가위눌렸나 봐", "고양이가 할퀴어서 손등이 다 긁혔어", "애가 장난감 던져서 이마에 혹 났어 ㅋㅋ",
           "게임에서 보스한테 두들겨 맞음 ㅋㅋ", "엄마 환갑 식사 자리 한정식집으로 잡았어", "오빠 오늘 회식이라 늦는대 밥 먹고 와",
           "자기야 퇴근하고 장 봐 올게 뭐 먹고 싶어?")

# denials: the act is named and denied (DOMAIN.md: a denial is not evidence of a ground), by the speaker or reported
DENY_WHO = ("", "나 ", "난 ", "저는 ", "내가 언제 ", "맹세코 ", "솔직히 ")
DENY_ACT = ("손 하나 안 댔어", "밀친 적 없어", "때린 적 한 번도 없어요", "욕한 적 없다니까", "협박한 적 없어",
            "목 조른 적 없어 그냥 어깨 잡은 거야", "물건 던진 적 없어", "걷어찬 적 없어", "가둔 적 없어 문 열려 있었어",
            "바람피운 적 없어", "그 여자랑 모텔 간 적 없어", "집 나간 적 없어 출장이었잖아", "생활비 안 준 적 없어 내역 봐",
            "장모님한테 욕한 적 없어", "도박한 적 없어 그냥 친구 따라 구경만 했어")
DENY_TAIL = ("", "", " 오해야", " 증거 있으면 가져와", " 니가 넘어진 거잖아", " 억울해", " 말다툼만 했지")
DENY_REPORT = ("{h}은 손찌검한 기억이 전혀 없다고 잡아떼", "{h}은 자기는 손도 안 댔대", "피고는 원고를 폭행한 사실이 없다고 주장합니다",
               "피고는 소외인과 부정한 관계를 맺은 사실이 없습니다", "답변서) 피고는 원고를 유기한 사실이 없고 매월 생활비를 지급하였습니다")
WITNESS = ("싸우는 소리는 들었는데 때리는 건 못 봤어요", "옆집 사는데 그 집에서 고함 소리 난 적은 없어요",
           "사실확인서) 본인은 두 사람이 다투는 모습을 본 적이 없습니다", "제가 있을 때는 사위가 딸한테 손대는 걸 못 봤어요",
           "증인은 피고가 술에 취한 모습을 본 일이 없다고 진술함", "경비원 진술: 해당 세대에서 신고나 소란은 없었음")

AMT = ("200", "150만원", "300만원", "80만", "120만 원", "1,500만원", "4,500만원", "3억", "7천만원", "12,340,000원", "6,230,000원")
DUR = ("석 달", "넉 달", "반년", "두 달", "여덟 달", "1년", "다섯 달")
SHORT = ("사흘", "이틀", "일주일", "열흘", "한 달")
YEAR = ("2017", "2018", "2019", "2020", "2021")
DATE = ("2024.03.02", "2025.02.03", "2024-11-19", "2023. 7. 4.", "2025/04/11", "24.08.30")
NIGHT = ("23:48", "01:12", "02:40", "00:35", "22:14")

# ------------------------------------------------------------------ voices
VOICE_MEMO = ("[음성메모 {t}] 음... 그러니까 {x} (한숨)", "녹취록 화자1: {x}", "[통화녹음 {t}] {x} ...어? 듣고 있어?",
              "(녹음) 어... {x} 진짜로", "[녹취] 그게... {x}")
COUNSEL = ("상담일지: 내담자 진술 \"{x}\"", "상담 메모) {x} 라고 함", "내담자는 \"{x}\"라고 호소하며 울먹임", "(진술 요지) {x}")
DIAL = (("했어", "했다 아이가"), ("거야", "기라"), ("있어", "있다 카이"), ("했어", "했당께"), ("없어", "없어예"), ("와", "온나"))
MINUTE = ("00:12", "01:47", "03:05", "12:31", "07:58")


def _ocr(rng: random.Random, text: str) -> str:
    """OCR or a phone keyboard: spaces dropped and inserted inside words."""
    out = []
    for ch in text:
        if ch == " " and rng.random() < 0.6:
            continue
        out.append(ch)
        if "가" <= ch <= "힣" and rng.random() < 0.12:
            out.append(" ")
    return "".join(out).strip()


def _voice(rng: random.Random, text: str, *, chat: bool) -> str:
    """The same fact in another writer's hand: a voice memo, a counselling note, 사투리, OCR spacing, or as written."""
    r = rng.random()
    if chat and r < 0.12:
        return _pick(rng, VOICE_MEMO).format(t=_pick(rng, MINUTE), x=text)
    if chat and r < 0.22:
        return _pick(rng, COUNSEL).format(x=text)
    if chat and r < 0.30:
        for a, b in DIAL:
            if text.endswith(a):
                return text[: -len(a)] + b
    if r < 0.40:
        return _ocr(rng, text)
    return text


Gen = Callable[[random.Random], tuple[str, list[str], bool]]


def _f(rng: random.Random, xs: tuple[str, ...], **extra: tuple[str, ...]) -> str:
    """A template from `xs` with its slots filled from the standard lists (and `extra`)."""
    slots = {"a": AMT, "d": DUR, "n": ("2", "3", "4", "5", "7", "11"), "y": YEAR, "m": ("3", "6", "9", "11"),
             "m2": ("2", "14", "21"), "now": ("2024. 5.", "2025. 1.", "2025. 9."), "h": HUSB[:3], "t": NIGHT,
             "d0": DATE, "p": PARENT_OBJ, "w": ("2", "3", "4", "6", "8"), "x": INJ, "place": MISS_PLACE,
             "c": LOVER, "s": ("와이프", "마누라", "애 엄마", "남편", "신랑", "집사람"), **extra}
    t = _pick(rng, xs)
    return t.format(**{k: _pick(rng, v) for k, v in slots.items() if "{" + k + "}" in t})


def _subj(rng: random.Random, xs: tuple[str, ...] = SPOUSE) -> str:
    return _j(_pick(rng, xs), "이가")


GENERATORS: list[tuple[int, Gen]] = [
    # 840-3 violence in uncommon verbs, told in chat, 진술서, records; passive; formal
    (70, lambda r: (f"{_subj(r)} {_pick(r, ('또 ', '어젯밤에 ', '애들 앞에서 ', '술 먹고 ', ''))}{_pick(r, ('내 ', '나를 ', '제 ', ''))}"
                    f"{_pick(r, HIT)}", ["840-3"], True)),
    (35, lambda r: (_pick(r, HIT_PASSIVE), ["840-3"], True)),
    (30, lambda r: (f"피고는 {_pick(r, WHEN)} {_pick(r, ('주거지에서 ', '안방에서 ', '차 안에서 ', ''))}{_pick(r, HIT_FORMAL)}",
                    ["840-3"], False)),
    (35, lambda r: (_f(r, INJ_RECORD), ["840-3"], False)),
    (20, lambda r: (_pick(r, INJ_OK), [], False)),
    (40, lambda r: (f"{_pick(r, DEMAND)} {_pick(r, CONSEQ)}", ["840-3"], True)),
    (15, lambda r: (_pick(r, JOKE_DEMAND), [], True)),
    (35, lambda r: (f"{_subj(r)} {_pick(r, CONTROL)}", ["840-3"], True)),
    (15, lambda r: (_pick(r, CONTROL_FORMAL), ["840-3"], False)),
    (20, lambda r: (_f(r, ORDER, h=HUSB[:3]), ["840-3"], False)),
    (40, lambda r: (f"{_subj(r, SIL_VOICE)} {_pick(r, ('나한테 ', '저한테 ', '또 ', '애들 앞에서 ', ''))}{_pick(r, SIL_SAID)}",
                    ["840-3"], True)),
    (20, lambda r: (f"{_subj(r, SIL_VOICE)} {_pick(r, SIL_NICE)}", [], True)),
    # 840-4
    (40, lambda r: (_f(r, PARENT_INSULT), ["840-4"], True)),
    (30, lambda r: (f"{_subj(r)} {_pick(r, PARENT_ACT)}", ["840-4"], True)),
    (20, lambda r: (_pick(r, PARENT_VOICE), ["840-4"], True)),
    (15, lambda r: (_f(r, PARENT_FORMAL, a=("2", "5", "8")), ["840-4"], False)),
    (20, lambda r: (_pick(r, PARENT_OK), [], True)),
    # 840-1
    (45, lambda r: (_f(r, LOVER_MSG), ["840-1"], True)),
    (25, lambda r: (_pick(r, SECRET), ["840-1"], True)),
    (18, lambda r: (_pick(r, SEEN), ["840-1"], True)),
    (20, lambda r: (_f(r, DETECT), ["840-1"], False)),
    (18, lambda r: (_pick(r, COHAB), ["840-1"], True)),
    (30, lambda r: (f"{_pick(r, STORY)} {_pick(r, STORY_ACT)}", [], True)),
    # 840-2
    (30, lambda r: (_f(r, LEAVE, d=DUR), ["840-2"], True)),
    (35, lambda r: (_f(r, MONEY, d=DUR), ["840-2"], True)),
    (15, lambda r: (_f(r, MONEY_ROW, d=DUR), ["840-2"], False)),
    (25, lambda r: (_f(r, LOCK, p=LOCK_PLACE), ["840-2"], True)),
    (15, lambda r: (_f(r, MONEY_OK), [], True)),
    (20, lambda r: (_f(r, QUIT_OK, d=DUR + SHORT), [], True)),
    (15, lambda r: (_pick(r, STAY_OK), [], True)),
    # 840-5
    (45, lambda r: (_f(r, MISS_REC), ["840-5"], False)),
    (20, lambda r: (_f(r, MISS_OK), [], True)),
    # 840-6
    (25, lambda r: (_f(r, DEBT), ["840-6"], False)),
    (25, lambda r: (_f(r, GAMBLE, h=("남편", "신랑", "애 아빠")), ["840-6"], True)),
    (12, lambda r: (_f(r, DRINK), ["840-6"], True)),
    (12, lambda r: (_f(r, RELIG), ["840-6"], True)),
    (20, lambda r: (_pick(r, RELATIVE), ["840-6"], True)),
    (10, lambda r: (_f(r, CRIME, h=("남편", "신랑", "애 아빠")), ["840-6"], False)),
    (30, lambda r: (_f(r, SIX_OK), [], True)),
    (25, lambda r: (_pick(r, MISC_OK), [], True)),
    (45, lambda r: (f"{_pick(r, DENY_WHO)}{_pick(r, DENY_ACT)}{_pick(r, DENY_TAIL)}", [], True)),
    (10, lambda r: (_f(r, DENY_REPORT, h=("남편", "그 사람", "신랑")), [], False)),
    (12, lambda r: (_pick(r, WITNESS), [], False)),
]


def generate(seed: int = 3) -> list[dict[str, object]]:
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[dict[str, object]] = []
    for count, gen in GENERATORS:
        made = 0
        for _ in range(count * 4):  # retry duplicates; stop at `count` distinct lines
            if made >= count:
                break
            text, grounds, chat = gen(rng)
            text = _voice(rng, text, chat=chat)
            if text in seen:
                continue
            seen.add(text)
            out.append({"text": text, "grounds": grounds})
            made += 1
    return out


def main() -> None:
    write_rows(generate(), OUT)


if __name__ == "__main__":
    main()
