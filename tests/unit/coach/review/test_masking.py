import pytest

from coach.review.masking import mask


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("电话13812345678，快帮我", "电话#，快帮我"),
        ("身份证11010519491231002X被他们知道了", "身份证#被他们知道了"),
        ("卡号 6222 0201 1234 5678 逾期了", "卡号 # 逾期了"),
        ("１３８１２３４５６７８", "#"),
        ("欠了两万五千元", "欠了#"),
        ("欠了1.2w，还有3万5", "欠了#，还有#"),
        ("逾期三个月了怎么办", "逾期#了怎么办"),
        ("我叫张伟，欠了招商银行的钱", "我叫#，欠了招商银行的钱"),
        ("我姓李", "我姓#"),
        ("王经理说要上门", "#经理说要上门"),
        ("小李打电话说要起诉", "小#打电话说要起诉"),
        ("加我 tom.lee@qq.com 或者 wxid_abc123", "加我 # 或者 #"),
        ("Tom说他是律师", "#说他是律师"),
    ],
)
def test_numbers_figures_contacts_and_names_become_a_mark(text, masked):
    assert mask(text) == masked


@pytest.mark.parametrize("text", ["对方总是打电话", "老是打电话怎么办", "我是学生，没有收入", "小额贷款能协商吗"])
def test_everyday_words_stay_readable(text):
    assert mask(text) == text
