"""analysis.cut_for_search re-implements jieba's search-mode cut (HMM on) for speed: it must yield
exactly what jieba's own Tokenizer.cut_for_search yields, with and without custom words."""

import pytest

from bench._search_corpus import Corpus
from hub.search.analysis import cut_for_search, fold, segmenter, set_dictionary

TEXTS = [
    "",
    " \r\n\t",
    "我來到北京清華大學",
    "ＡＢＣ１２３　全角，標點！",
    "他来到了网易杭研大厦",
    "小明硕士毕业于中国科学院计算所，后在日本京都大学深造",
    "工信处女干事每月经过下属科室都要亲口交代24口交换机等技术性器件的安装工作",
    "X200-Pro价格V2.5 e-mail a&b 100% #tag K8s_cluster",
    "销售易和纷享销客的CRM实施报价对比：渠道、售后与部署安全",
]


def _texts():
    texts = list(TEXTS)
    for doc in Corpus(seed=21).documents(40):
        texts += [doc["title"], doc["body"], "\n".join([doc["title"], " ".join(doc["tags"]), doc["body"]])]
    return texts + [fold(t) for t in texts]


@pytest.mark.parametrize("words", [[], ["销售易", "纷享销客", "X200-Pro", "交换机等"], ["国家"]])
def test_same_words_as_jieba(words):
    seg = segmenter()
    set_dictionary(words)
    try:
        for text in _texts():
            assert list(cut_for_search(seg, text)) == list(seg.cut_for_search(text)), text[:40]
    finally:
        set_dictionary([])
