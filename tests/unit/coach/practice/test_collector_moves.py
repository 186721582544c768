"""The collector listens: each learner move gets its answer in character, a reply is at most
two moves and never repeats the last line, concessions come only from something new, the
floor is lender policy, pressure stays lawful (or, for the abusive collector, relapses at
most once), and a one-off payment closes only after a confirmed yes."""

import math
import random
import re
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.content import load_content
from coach.practice.collector import MAX_USER_TURNS, take_turn
from coach.practice.collector_speech import move_variations
from coach.practice.collector_style import PERSONAS
from coach.practice.learner_moves import LEARNER_MOVES, hear
from coach.practice.round_start import floor_monthly, new_round
from coach.practice.state import Plan, RoundState
from coach.practice.turn_reader import read_turn
from tests.support.practice import REAL_SLOT, offer, play

LINES = load_content("collector_lines")
PERSONA_LINES = LINES["personas"]
RIGHTS = "你这样说是违规的，我在录音，我要打12378投诉"


def fragment(template):
    return max(re.split(r"\{\w+\}", template), key=len)


def said(line, state, move):
    return any(fragment(template) in line for template in move_variations(state, move))


# --- what the collector hears ---------------------------------------------------------------

HEARD = [
    # the learner's line, moves it must contain, moves it must not, one-off sum, down payment
    ("今天全部还清", {"offers_lump_sum"}, set(), 48000, None),
    ("我会还的，但是今天全部还清做不到", {"refuses"}, {"offers_lump_sum"}, None, None),
    ("能不能一次性结清？", set(), {"refuses", "offers_lump_sum"}, None, None),
    ("我可以一次性还3万结清", {"offers_lump_sum"}, set(), 30000, None),
    ("我一次性还6万", {"offers_lump_sum"}, set(), 48000, None),
    ("我先付5000首付，剩下的每月1000", {"offers_down_payment", "offers_monthly"}, set(), None, 5000),
    ("先一次性还2万，剩下每月1000", {"offers_down_payment"}, {"offers_lump_sum"}, None, 20000),
    ("每月1500，分32期还清", {"offers_monthly"}, {"offers_lump_sum"}, None, None),
    ("你们是外包吗", {"asks_outsourcing"}, set(), None, None),
    ("停息和罚息有什么区别？", {"asks_freeze", "asks_waiver"}, set(), None, None),
    ("我在录音", {"records"}, {"complains"}, None, None),
    ("我压力太大了，快崩溃了", {"distress"}, set(), None, None),
]


@pytest.mark.parametrize("line, present, absent, lump_sum, down_payment", HEARD)
def test_what_the_collector_hears(line, present, absent, lump_sum, down_payment):
    turn = hear(line, read_turn(line), 48000)
    assert present <= turn.moves and not absent & turn.moves, turn.moves
    assert (turn.lump_sum, turn.down_payment) == (lump_sum, down_payment)


@pytest.mark.parametrize("line", ["对", "是的", "好的，没问题", "确定", "对，今天全部还清"])
def test_a_clear_yes(line):
    assert hear(line, read_turn(line), 48000).says_yes


@pytest.mark.parametrize("line", ["不是", "嗯", "是，但是做不到", "我再想想", "每月1500"])
def test_no_clear_yes(line):
    assert not hear(line, read_turn(line), 48000).says_yes


# --- each learner move, answered in character by each persona ---------------------------

ALL = {persona: None for persona in PERSONAS}


def per_persona(default, **special):
    return {persona: special.get(persona, default) for persona in PERSONAS}


# learner move, earlier lines, the learner's line, the collector move per persona
MOVES = [
    (
        "asks_identity",
        [],
        "你叫什么名字？工号多少？",
        per_persona("give_identity", abusive="evade_identity"),
    ),
    (
        "asks_outsourcing",
        [],
        "你们是外包的吗？是不是第三方？",
        per_persona("answer_outsourcing", abusive="evade_identity"),
    ),
    ("asks_art70", [], "能不能按第七十条给我办个性化分期？", per_persona("answer_art70")),
    (
        "asks_art70 after a reason",
        ["我失业了，收入没了"],
        "能不能按第七十条给我办个性化分期？",
        per_persona("hardship_path"),
    ),
    ("asks_freeze", [], "能停息吗？停息和罚息有什么区别？", per_persona("answer_freeze")),
    ("asks_waiver", [], "罚息能减免一些吗？", per_persona("respond_to_waiver")),
    (
        "asks_waiver with a plan on the table",
        [offer(1500, 32)],
        "罚息能减免一些吗？",
        per_persona("respond_to_waiver", polite="grant_waiver", outsourced="grant_waiver"),
    ),
    ("offers_lump_sum", [], "我可以一次性还3万结清", per_persona("counter_settlement")),
    (
        "offers_down_payment",
        [],
        "我先付5000首付，剩下的每月1000",
        per_persona("answer_down_payment"),
    ),
    (
        "offers_monthly",
        [],
        offer(1500, 32),
        per_persona("counter_offer", pushy="refuse_first_offer", abusive="refuse_first_offer"),
    ),
    ("offers_monthly again", [offer(1500, 32)], offer(1500, 32), per_persona("hold_firm")),
    ("refuses", [], "不行，我做不到", per_persona("answer_refusal")),
    ("refuses the full demand", [], "不行，我做不到", per_persona("demand_instalment")),
    ("gives_reason", [], "因为我失业了，收入少了一半", per_persona("respond_to_reason")),
    ("complains", [], "你们这样是违规的，我要打12378投诉", per_persona("acknowledge_rights")),
    (
        "complains after a line was crossed",
        ["嗯", "嗯"],
        "你们这样是违规的，我要打12378投诉",
        per_persona("acknowledge_rights", abusive="back_off_after_rights"),
    ),
    ("records", [], "我正在录音", per_persona("answer_recording")),
    (
        "records after a line was crossed",
        ["嗯", "嗯"],
        "我正在录音",
        per_persona("answer_recording", abusive="back_off_after_rights"),
    ),
    (
        "insult",
        [],
        "滚，你们这帮垃圾",
        per_persona("respond_to_rudeness", abusive="cross_line"),
    ),
    (
        "threatens",
        [],
        "我就不还了，你等着",
        per_persona("respond_to_rudeness", abusive="cross_line"),
    ),
    ("distress", [], "我压力太大了，真的快崩溃了", per_persona("comfort")),
    ("silence", [], "嗯", per_persona("push_for_plan")),
    ("asks_details", [], "具体欠多少？我要核对账单", per_persona("give_details")),
    ("asks_written", [], "请给我书面协议", per_persona("confirm_in_writing")),
    ("accepts", [offer(1500, 32)], "好的就这么定", per_persona("close_agreement")),
    ("accepts the full demand", [], "好的", per_persona("confirm_lump_sum")),
]
CASES = [
    pytest.param(persona, before, line, expected[persona], id=f"{name}-{persona}")
    for name, before, line, expected in MOVES
    for persona in PERSONAS
]
SEED = 1  # cross_turn 2: the abusive collector crosses no line on its own on turn 1


def case(persona):
    """The same debt for every persona (the outsourced one's is an online loan)."""
    lender = "某网贷平台" if persona == "outsourced" else "某银行信用卡中心"
    return {"lender_label": lender, "balance": 48000, "affordable_monthly": 2000}


def seed_for(before):
    """A seed whose abusive collector crosses its line on its own before the tested turn
    (cross_turn is 1 + seed % 2), so the tested turn shows the answer."""
    return 0 if len(before) % 2 else SEED


@pytest.mark.parametrize("persona, before, line, move", CASES)
def test_each_learner_move_is_answered_in_character(persona, before, line, move):
    state, _ = play(new_round(persona, case(persona), seed=seed_for(before)), *before)
    result = take_turn(state, line)
    assert move in result.moves, result.moves
    assert said(result.collector_line, result.state, move)
    speakers = {key.split("/")[0] for key in result.state.last_spoken}
    in_character = {persona, "pushy"} if result.state.reformed else {persona}
    assert speakers <= in_character


ABUSIVE_ONLY = {"cross_line", "relapse", "back_off_after_rights", "back_off_again"}
ABUSIVE_ONLY |= {"evade_identity"}
ANSWER_MOVES = {
    value
    for entry in LINES["answers"]
    for key, value in entry.items()
    if key != "learner" and value not in ABUSIVE_ONLY
}
PUSH_MOVES = {
    "opening",
    "demand_full",
    "demand_instalment",
    "refuse_first_offer",
    "counter_offer",
    "final_pressure",
    "hold_firm",
    "offer_went_down",
    "accept_offer",
    "ask_for_plan",
    "push_for_plan",
    "confirm_lump_sum",
    "counter_settlement",
    "hold_settlement",
    "final_settlement",
    "close_agreement",
    "close_full_payment",
    "close_settlement",
    "no_deal_close",
}
# The abusive collector says these only once it has backed off, in the pushy one's words.
ONLY_REFORMED = {"grant_waiver", "acknowledge_rights", "answer_recording"}
ONLY_REFORMED |= {"give_identity", "answer_outsourcing"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_has_three_variations_of_every_move_it_can_make(persona):
    needed = PUSH_MOVES | ANSWER_MOVES
    if persona == "abusive":
        needed = (needed - ONLY_REFORMED) | ABUSIVE_ONLY
    missing = sorted(move for move in needed if len(PERSONA_LINES[persona].get(move, [])) < 3)
    assert missing == []


def test_no_line_puts_another_before_after_a_deadline():
    # Each deadline ends with 前 (今天下午5点前): "{deadline}前" would read 5点前前.
    templates = [line for moves in PERSONA_LINES.values() for v in moves.values() for line in v]
    assert not [line for line in templates if re.search(r"\{deadline\}(前|之前|之内|以前)", line)]


def test_only_the_abusive_collector_has_lines_that_cross_a_line():
    for persona in PERSONAS:
        has = ABUSIVE_ONLY & set(PERSONA_LINES[persona])
        assert has == (ABUSIVE_ONLY if persona == "abusive" else set())


def test_the_answer_table_names_only_learner_moves_the_collector_hears():
    own_turns = {"abuse_due", "relapse_due"}
    assert {entry["learner"] for entry in LINES["answers"]} <= set(LEARNER_MOVES) | own_turns


# --- 200 seeded rounds: at most two moves, never the last line again --------------------

SCRIPT_LINES = [line for _name, _before, line, _moves in MOVES] + [
    offer(1200),
    offer(1600, 30),
    offer(1800, 27),
    "我一次性还35000",
    "对",
    "不是",
    RIGHTS,
    "我会还的，但是今天全部还清做不到",
    "好吧听你的，我今天全部还清。",
]


def seeded_round(seed):
    rng = random.Random(seed)
    persona = PERSONAS[seed % len(PERSONAS)]
    lines = [rng.choice(SCRIPT_LINES) for _ in range(MAX_USER_TURNS + 1)]
    return new_round(persona, seed=seed), lines


def replies(seed):
    """The opening, then every reply of a seeded round: (moves, line keys, text)."""
    state, lines = seeded_round(seed)
    said = [(state.last_moves, state.last_spoken, "")]
    for line in lines:
        result = take_turn(state, line)
        state = result.state
        said.append((result.moves, state.last_spoken, result.collector_line))
    return said


ROUNDS = {seed: replies(seed) for seed in range(200)}


def test_no_reply_has_more_than_two_moves():
    assert all(len(moves) <= 2 for said in ROUNDS.values() for moves, _keys, _text in said)


def test_no_round_repeats_its_last_line():
    for seed, said in ROUNDS.items():
        for (_m, before, text_before), (_n, keys, text) in pairwise(said):
            assert not set(before) & set(keys), (seed, keys)
            assert text != text_before and "{" not in text


def test_a_round_repeats_a_line_only_once_every_variation_was_used():
    for seed, said in ROUNDS.items():
        used: set[str] = set()
        for _moves, keys, _text in said:
            for key in keys:
                speaker, move, _index = key.split("/")
                family = {f"{speaker}/{move}/{i}" for i in range(len(variations(speaker, move)))}
                assert key not in used or family <= used, (seed, key)
                used.add(key)


def variations(speaker, move):
    table = LINES["shared"] if speaker == "shared" else PERSONA_LINES[speaker]
    return table[move]


def test_rounds_with_other_seeds_sound_different():
    openings = {said[0][1] for said in ROUNDS.values()}
    assert len(openings) >= 20


# --- concessions only on something new -------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_repeating_the_same_offer_twelve_times_earns_nothing(persona):
    state, results = play(new_round(persona, seed=SEED), *[offer(1000, 48)] * MAX_USER_TURNS)
    demands = [r.state.demand.monthly for r in results]
    assert len(set(demands[1:])) == 1  # after the first answer the demand stands
    assert state.concessions <= 1 and state.agreement is None
    assert all(r.moves[-1] in ("hold_firm", "no_deal_close") for r in results[1:])


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    persona=st.sampled_from(PERSONAS),
    monthly=st.integers(300, 3000),
    times=st.integers(2, MAX_USER_TURNS),
)
def test_a_repeated_offer_never_moves_the_demand(persona, monthly, times):
    state, results = play(new_round(persona), offer(monthly), *[offer(monthly)] * (times - 1))
    after_first = [r.state.demand for r in results[1:] if not r.finished]
    assert len(set(after_first)) <= 1


NEWS_FREE_LINES = [
    offer(1000),
    offer(1400),
    offer(1300),
    "我失业了，收入少了一半",
    "嗯",
    "不行，我做不到",
    "你叫什么名字？",
    "我一次性还3万",
    "我一次性还32000",
]


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    persona=st.sampled_from(PERSONAS),
    lines=st.lists(st.sampled_from(NEWS_FREE_LINES), min_size=2, max_size=MAX_USER_TURNS),
)
def test_saying_the_same_thing_again_never_earns_a_concession(persona, lines):
    state = new_round(persona)
    heard = set()
    for line in lines:
        result = take_turn(state, line)
        if line in heard and state.demand.kind == "instalment":
            assert result.state.demand.monthly >= state.demand.monthly
        if line in heard and state.settlement_demand:
            assert result.state.settlement_demand >= state.settlement_demand
        heard.add(line)
        state = result.state
        if result.finished:
            break


# --- the floor is lender policy ------------------------------------------------------------


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    persona=st.sampled_from(PERSONAS),
    balance=st.integers(1000, 500000),
    affordable=st.integers(100, 50000),
    lender_type=st.sampled_from(["credit_card", "online_lender", "bank_loan", "other"]),
)
def test_the_floor_is_the_balance_over_the_longest_term_whatever_the_budget(
    persona, balance, affordable, lender_type
):
    scenario = {"balance": balance, "affordable_monthly": affordable, "lender_type": lender_type}
    state = new_round(persona, scenario)
    assert state.floor == Plan(monthly=min(math.ceil(balance / 60), balance), term=60)
    assert state.floor == floor_monthly_plan(state)


def floor_monthly_plan(state):
    return Plan(floor_monthly(state.scenario), state.scenario.max_term_months)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_learners_budget_never_reaches_the_collector(persona):
    script = ["我是张伟", offer(1200, 40), "我失业了", offer(1500), offer(1500), "能停息吗？"]
    rounds = [
        play(new_round(persona, {"balance": 48000, "affordable_monthly": budget}, seed=4), *script)
        for budget in (300, 2000, 9000)
    ]
    said = [[r.collector_line for r in results] for _state, results in rounds]
    assert said[0] == said[1] == said[2]
    assert len({state.floor for state, _results in rounds}) == 1


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_reason_and_a_request_for_art_70_open_the_hardship_path(persona):
    state, results = play(
        new_round(persona, {"balance": 48000, "affordable_monthly": 2000}, seed=0),
        "我失业了，收入没了",
        "能不能按第七十条申请个性化分期？",
    )
    assert state.hardship and state.floor.monthly == math.ceil(48000 * 0.9 / 60) < 800
    assert "hardship_path" in results[-1].moves
    assert "证明" in results[-1].collector_line and "书面" in results[-1].collector_line


def test_without_a_reason_art_70_alone_does_not_lower_the_floor():
    state, results = play(new_round("polite"), "能不能按第七十条申请个性化分期？", "能停息吗？")
    assert not state.hardship and state.floor.monthly == 800
    assert [r.moves[0] for r in results] == ["answer_art70", "answer_freeze"]


def test_a_down_payment_lowers_what_is_left_and_the_floor():
    state, results = play(new_round("polite"), "我先付6000首付，剩下的每月900")
    assert state.down_payment == 6000 and state.floor.monthly == math.ceil(42000 / 60)
    assert "42000" in results[-1].collector_line


# --- lawful pressure ---------------------------------------------------------------------

UNLAWFUL = [
    "家人",
    "家里",
    "亲戚",
    "朋友",
    "单位",
    "领导",
    "同事",
    "通讯录",
    "上门",
    "找上",
    "公安",
    "警察",
    "坐牢",
    "拘留",
    "抓",
    "查封",
    "冻结",
    "强制执行",
    "法院这边",
    "我就是法院",
    "派人",
    "老赖",
    "垃圾",
    "黑名单",
    "曝光",
    "一辈子",
    "后果自负",
    "有你好看",
    "坐不了",
    "限制高消费",
]
LAWFUL_PERSONAS = [persona for persona in PERSONAS if persona != "abusive"]


@pytest.mark.parametrize("persona", LAWFUL_PERSONAS)
def test_rule_abiding_collectors_never_say_an_unlawful_threat(persona):
    found = [
        (move, line, word)
        for move, lines in PERSONA_LINES[persona].items()
        for line in lines
        for word in UNLAWFUL
        if word in line
    ]
    assert found == []


def test_pushy_pressure_is_the_credit_record_and_a_lawsuit_through_a_court():
    pressure = [
        line
        for move in ("hold_firm", "final_pressure", "answer_refusal", "no_deal_close")
        for line in PERSONA_LINES["pushy"][move]
    ]
    assert any("征信" in line for line in pressure)
    assert any("法院" in line and "起诉" in line for line in pressure)


def test_in_play_a_rule_abiding_collector_never_crosses_a_line():
    for seed, said in ROUNDS.items():
        if PERSONAS[seed % len(PERSONAS)] != "abusive":
            moves = {move for moves, _keys, _text in said for move in moves}
            assert not moves & ABUSIVE_ONLY, seed


# --- the abusive collector relapses at most once ------------------------------------------

STONEWALL = ["嗯", "嗯", RIGHTS, "嗯", "不行，我做不到", offer(1000), offer(1000), "嗯"]
STONEWALL += [RIGHTS, "嗯", "嗯", "滚，你们这帮垃圾"]


@pytest.mark.parametrize("seed", range(30))
def test_the_abusive_collector_relapses_at_most_once_then_steps_back(seed):
    _state, results = play(new_round("abusive", seed=seed), *STONEWALL)
    moves = [move for r in results for move in r.moves]
    first_back_off = moves.index("back_off_after_rights")
    after = moves[first_back_off:]
    assert after.count("relapse") <= 1 and "cross_line" not in after
    if "relapse" in after:
        assert "back_off_again" in after[after.index("relapse") :]
        last = after[after.index("back_off_again") + 1 :]
        assert not set(last) & ABUSIVE_ONLY


def test_some_abusive_rounds_relapse_and_some_do_not():
    relapsed = {play(new_round("abusive", seed=seed), *STONEWALL)[0].relapsed for seed in range(6)}
    assert relapsed == {True, False}


# --- a one-off payment closes only on a clear yes --------------------------------------------

NOT_A_YES = ["不是", "嗯", "我再想想", "不行，做不到", offer(1500, 32), "你叫什么名字？"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_refusal_to_pay_everything_today_never_closes_a_deal(persona):
    state, results = play(new_round(persona), "我会还的，但是今天全部还清做不到")
    assert state.agreement is None and not results[-1].finished
    state, results = play(state, "不是，我是说做不到")
    assert state.agreement is None and state.demand.kind == "instalment"


@pytest.mark.parametrize("persona", PERSONAS)
def test_paying_everything_today_is_confirmed_before_the_deal_closes(persona):
    state = new_round(persona)
    balance = state.scenario.balance
    state, results = play(state, "好吧听你的，我今天全部还清。")
    assert results[-1].moves[-1] == "confirm_lump_sum" and state.agreement is None
    assert f"是说今天一次性还清{balance}元吗" in results[-1].collector_line
    state, results = play(state, "对")
    assert state.agreement == Plan(monthly=balance, term=1)
    assert results[-1].moves[-1] == "close_full_payment"


@pytest.mark.parametrize("answer", NOT_A_YES)
def test_anything_but_a_clear_yes_leaves_the_one_off_payment_open(answer):
    state, _ = play(new_round("pushy"), "好我今天全还")
    state, results = play(state, answer)
    assert state.agreement is None and state.pending_lump_sum is None
    assert "close_full_payment" not in results[-1].moves


def test_a_settlement_is_negotiated_then_confirmed():
    state, results = play(new_round("polite"), "我一次性还3万结清")
    assert results[-1].moves == ("counter_settlement",)
    opening = state.settlement_demand
    assert opening == 45600 and f"{opening}" in results[-1].collector_line
    state, results = play(state, "我一次性还3万结清")
    assert results[-1].moves == ("hold_settlement",) and state.settlement_demand == opening
    state, results = play(state, "一次性还36000")
    assert state.settlement_demand < opening and state.agreement is None
    state, results = play(state, "好的")
    assert results[-1].moves == ("confirm_lump_sum",)
    state, results = play(state, "是的，我确定")
    assert state.agreement == Plan(monthly=state.agreement.monthly, term=1)
    assert results[-1].moves == ("close_settlement",)
    assert state.agreement.monthly >= 48000 * 0.8


def test_every_one_off_agreement_follows_a_confirmation_in_play():
    for seed in range(200):
        state, lines = seeded_round(seed)
        for line in lines:
            asked = state.last_moves == ("confirm_lump_sum",) or state.last_moves[-1:] == (
                "confirm_lump_sum",
            )
            result = take_turn(state, line)
            if result.state.agreement and result.state.agreement.term == 1 and not state.finished:
                assert asked, (seed, line)
            state = result.state


# --- the outsourced online-loan collector ------------------------------------------------


def test_the_outsourced_collector_says_it_is_a_third_party_when_asked_not_before():
    for seed in range(6):
        state = new_round("outsourced", seed=seed)
        _state, results = play(state, "你们是外包吗？")
        assert "第三方" in results[0].collector_line or "外部机构" in results[0].collector_line
        assert "委托" in results[0].collector_line
    openings = PERSONA_LINES["outsourced"]["opening"] + PERSONA_LINES["outsourced"]["demand_full"]
    assert not any(word in line for line in openings for word in ("第三方", "委托", "外包"))


def test_the_outsourced_collector_sells_a_negotiated_plan_with_a_down_payment_and_fees():
    lines = PERSONA_LINES["outsourced"]
    assert all("首付" in line for line in lines["demand_instalment"])
    assert sum("协商" in line for move in lines.values() for line in move) >= 10
    assert sum("手续费" in line for move in lines.values() for line in move) >= 5
    state, results = play(new_round("outsourced", seed=2), "我还不起，不行")
    assert "demand_instalment" in results[-1].moves and "首付" in results[-1].collector_line


# --- old slots still play ----------------------------------------------------------------


def test_a_round_stored_before_the_listening_collector_plays_to_its_end():
    state = RoundState.from_slot(REAL_SLOT)
    script = [offer(1400), "能停息吗？", RIGHTS, offer(1500), "好的就这么定"] + ["嗯"] * 8
    state, results = play(state, *script)
    assert state.finished and all(r.collector_line for r in results)
    assert all(len(r.moves) <= 2 for r in results)
