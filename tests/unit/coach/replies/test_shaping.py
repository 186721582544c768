"""Every reply fits a phone, puts safety first, does not repeat itself, says goodbye."""

from coach.replies.shaping import Turn, before_first_button, cut, screen_chars, shape

RIGHTS = "\n".join(f"· 第{n}条：催收不得在晚上十点后打电话，不得辱骂威胁，不得骚扰家人。" for n in range(20))
MENU = [{"title": "算还款方案", "payload": "/request_repayment_plan"}]


def test_someone_at_the_door_gets_the_safety_line_first_within_one_screen():
    reply = shape(Turn("他们就在门口，怎么办", "ask_home_visit"), [{"text": RIGHTS + "\n报警打110"}])
    assert reply[0]["text"].startswith("先顾安全") and "110" in reply[0]["text"]
    assert len(before_first_button(reply)) <= screen_chars()
    assert reply[-1]["buttons"] == [{"title": "详细说说", "payload": "/ask_home_visit"}]


def test_a_reply_that_already_leads_with_110_is_left_as_it_is():
    reply = [{"text": "有人在门口威胁你，先打110。"}]
    assert shape(Turn("他们就在门口"), reply) == reply


def test_too_long_gets_the_last_long_answer_cut_to_one_screen():
    reply = shape(Turn("太长了 看不完"), [{"text": "我不太确定你的意思"}])
    assert reply == [{"text": "我不太确定你的意思"}]  # nothing long was said before
    shaped = shape(Turn("太长了 看不完", earlier=[RIGHTS]), [{"text": "我不太确定你的意思"}])
    assert len(shaped[0]["text"]) <= screen_chars() and "第0条" in shaped[0]["text"]


def test_the_same_answer_a_second_time_is_shorter_and_asks_what_is_unclear():
    shaped = shape(Turn("我有哪些权利", earlier=[RIGHTS]), [{"text": RIGHTS, "buttons": MENU}])
    assert shaped[0]["text"] != RIGHTS and "哪一点还不清楚" in shaped[0]["text"]
    assert shaped[0]["buttons"] == MENU


def test_words_around_a_new_document_are_not_a_repeat():
    letter = [{"text": RIGHTS}, {"custom": {"type": "document", "kind": "complaint_letter"}}]
    assert shape(Turn("投诉的时候要说什么", earlier=[RIGHTS]), letter) == letter


def test_a_goodnight_gets_a_goodbye_not_a_menu_but_a_crisis_reply_stands():
    shaped = shape(Turn("谢谢 晚安"), [{"text": "不客气。接下来想做什么？", "buttons": MENU}])
    assert "晚安" in shaped[0]["text"] and not any(m.get("buttons") for m in shaped)
    crisis = [{"text": "请照顾好自己。难受的时候打12356。", "buttons": MENU}]
    assert shape(Turn("晚安"), crisis) == crisis


def test_an_angry_or_lost_user_gets_a_human_word_before_the_menu():
    menu = [{"text": "你可以选：", "buttons": MENU}]
    angry = shape(Turn("你他妈能不能有点用"), menu)
    lost = shape(Turn("我岁数大了看不懂"), menu)
    assert angry[0]["text"].startswith("抱歉") and angry[1:] == menu
    assert lost[0]["text"].startswith("没关系") and lost[1:] == menu


def test_a_button_payload_is_never_shaped():
    reply = [{"text": RIGHTS}]
    assert shape(Turn("/ask_home_visit", "ask_home_visit", [RIGHTS]), reply) == reply


def test_cut_keeps_whole_lines_or_whole_sentences():
    assert cut("一。二。\n三。", 5) == "一。二。"
    assert cut("一句话。又一句话。再一句。", 9) == "一句话。又一句话。"


CRISIS = "听到你这么说，我很担心你。现在就可以打全国心理援助热线 12356。"


def test_better_and_asking_to_go_on_after_a_crisis_gets_a_check_and_the_task():
    turn = Turn("我好点了，那这个钱怎么还", "express_crisis", [CRISIS])
    shaped = shape(turn, [{"text": CRISIS, "buttons": MENU}])
    assert "好点了" in shaped[0]["text"] and "12356" in shaped[0]["text"]
    assert shaped[0]["buttons"][0]["payload"] == "/request_repayment_plan"


def test_the_crisis_reply_stands_without_a_word_of_being_better():
    reply = [{"text": CRISIS, "buttons": MENU}]
    assert shape(Turn("钱怎么还啊我不想活了", "express_crisis", [CRISIS]), reply) == reply
