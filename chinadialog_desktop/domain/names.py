"""Name normalisation for screening: Latin, pinyin and Chinese characters brought to one form."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache


# Mandarin syllables without tones (ü written as u: "lu", "nu", "lue", "nue"; the rare
# interjections m, n, ng, hm, hng and dialect syllables are left out on purpose, so that
# English words do not pass for pinyin too easily).
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_SYLLABLES = _words(
    """a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai
    can cang cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua
    chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de
    dei deng di dia dian diao die ding diu dong dou du duan dui dun duo e ei en eng er fa fan
    fang fei fen feng fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan
    guang gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui
    hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke
    ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei leng li lia
    lian liang liao lie lin ling liu long lou lu luan lue lun luo ma mai man mang mao me mei men
    meng mi mian miao mie min ming miu mo mou mu na nai nan nang nao ne nei nen neng ni nian
    niang niao nie nin ning niu nong nou nu nuan nue nuo o ou pa pai pan pang pao pei pen peng
    pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan
    que qun ran rang rao re ren reng ri rong rou ru ruan rui run ruo sa sai san sang sao se sen
    seng sha shai shan shang shao she shen sheng shi shou shu shua shuai shuan shuang shui shun
    shuo si song sou su suan sui sun suo ta tai tan tang tao te teng ti tian tiao tie ting tong
    tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie xin
    xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yong you yu yuan yue yun za
    zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhen zheng zhi zhong zhou zhu
    zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo"""
)
# ü spelt v (lv, nv, lve, nve) or yu after l/n (lyu, nyu, lyue): the same syllable.
_U_VARIANTS = {
    "lv": "lu",
    "nv": "nu",
    "lve": "lue",
    "nve": "nue",
    "lyu": "lu",
    "nyu": "nu",
    "lyue": "lue",
    "nyue": "nue",
}
_MAX_SYLLABLE = 6

# Chinese legal forms and generic organisation words, longest first (simplified and traditional).
_HANZI_LEGAL = (
    "股份有限公司",
    "有限责任公司",
    "有限責任公司",
    "集团有限公司",
    "集團有限公司",
    "有限公司",
    "股份公司",
    "集团公司",
    "集團公司",
    "控股",
    "集团",
    "集團",
    "公司",
)
# Institution words kept, but written the same way in every script.
_HANZI_INSTITUTIONS = (
    ("大学", " university "),
    ("大學", " university "),
    ("研究院", " institute "),
    ("研究所", " institute "),
    ("学院", " college "),
    ("學院", " college "),
)
LEGAL_FORMS = _words(
    """co ltd limited company corp corporation inc incorporated llc plc gmbh ag kg se sa
    pte pty bv nv oy ab srl spa kk youxian gongsi youxiangongsi gufen zerenyouxian
    youxianzeren jointstock shareholding"""
)
# A jurisdiction in brackets after a firm's name ("（香港）有限公司", "(Hong Kong) Limited")
# names where it is registered, not another firm.
_JURISDICTION_RE = re.compile(
    r"[(（]\s*(?:香港|hong\s*kong|xiang\s*gang|hk)\s*[)）]", re.IGNORECASE
)
ORG_WORDS = _words("group holding holdings jituan konggu")
# Only words that are no pinyin syllable: "de" or "la" may be a Chinese name part.
STOPWORDS = _words("of the and fur for der die das und")
HONORIFICS = _words("dr prof mr mrs ms herr frau professor")
# Legal forms and institution words written as separate pinyin syllables ("You Xian Gong Si").
_SYLLABLE_FORMS: tuple[tuple[tuple[str, ...], str | None], ...] = (
    (("gu", "fen", "you", "xian", "gong", "si"), None),
    (("you", "xian", "ze", "ren", "gong", "si"), None),
    (("you", "xian", "gong", "si"), None),
    (("gu", "fen", "gong", "si"), None),
    (("gong", "si"), None),
    (("ji", "tuan"), None),
    (("kong", "gu"), None),
    (("yan", "jiu", "yuan"), "institute"),
    (("yan", "jiu", "suo"), "institute"),
    (("da", "xue"), "university"),
    (("xue", "yuan"), "college"),
)
_FORM_STARTS = frozenset(p[0] for p, _r in _SYLLABLE_FORMS)
# The forms by their first syllable, in the order above (only those can start at a token).
_FORMS_BY_START: dict[str, tuple[tuple[tuple[str, ...], str | None], ...]] = {
    start: tuple(f for f in _SYLLABLE_FORMS if f[0][0] == start) for start in _FORM_STARTS
}
# Words of institutions that matter ("University" is not "Institute"), in one spelling.
CANONICAL = {
    "univ": "university",
    "universitat": "university",
    "universitaet": "university",
    "universite": "university",
    "universidad": "university",
    "daxue": "university",
    "institut": "institute",
    "inst": "institute",
    "yanjiusuo": "institute",
    "yanjiuyuan": "institute",
    "xueyuan": "college",
    "technologies": "technology",
    "tech": "technology",
    "technologie": "technology",
    "intl": "international",
    # Postal and Wade-Giles spellings that live on in institution names ("Peking University").
    "peking": "beijing",
    "tsinghua": "qinghua",
    "nanking": "nanjing",
    "tientsin": "tianjin",
    "canton": "guangzhou",
    "amoy": "xiamen",
    "chungking": "chongqing",
    "hangchow": "hangzhou",
    "soochow": "suzhou",
    "tsingtao": "qingdao",
    "sian": "xian",
    "szechuan": "sichuan",
    "szechwan": "sichuan",
    "kwangtung": "guangdong",
    "fukien": "fujian",
    "chekiang": "zhejiang",
    "kiangsu": "jiangsu",
    "hupeh": "hubei",
    "honan": "henan",
    "shantung": "shandong",
    "kweichow": "guizhou",
    "harbin": "haerbin",
    "urumqi": "wulumuqi",
    "hongkong": "xianggang",
    "macau": "aomen",
    "macao": "aomen",
    "tibet": "xizang",
    # "Jiyuan City …" and "Jiyuan Municipal …" name the same level of government.
    "city": "municipal",
    # British and American spellings of the same words.
    "defence": "defense",
    "centre": "center",
    "organisation": "organization",
    "programme": "program",
}
# Words so common in company names that a missing one should cost little.
GENERIC_WORDS = _words(
    """technology science electronics electronic industrial industry industries international
    trading trade development engineering equipment systems system import export manufacturing
    research keji kexue dianzi gongye maoyi fazhan digital shuma communications communication
    telecommunications telecom software machinery materials material energy biotech biotechnology
    instruments instrument optoelectronics optoelectronic network networks information services
    semiconductor semiconductors tongxin ruanjian jixie cailiao nengyuan shengwu yiqi guangdian
    wangluo xinxi precision new deutschland germany europe european china chinese zhongguo global"""
)

# Institutions: a word more or less ("University" / "University of Science and Technology")
# makes another institution, so their extra words are never cheap.
INSTITUTION_WORDS = _words("university institute college academy school laboratory hospital")
# Chinese provinces and large cities that often open a company name ("Hangzhou Hikvision").
PLACE_WORDS = _words(
    """beijing shanghai tianjin chongqing hebei shanxi liaoning jilin heilongjiang jiangsu
    zhejiang anhui fujian jiangxi shandong henan hubei hunan guangdong hainan sichuan guizhou
    yunnan shaanxi gansu qinghai taiwan neimenggu guangxi xizang ningxia xinjiang xianggang
    hongkong aomen macau shenzhen guangzhou hangzhou nanjing wuhan chengdu xian xiamen suzhou
    qingdao dalian shenyang harbin haerbin changsha zhengzhou jinan hefei fuzhou kunming ningbo wuxi
    dongguan foshan changchun shijiazhuang taiyuan nanchang nanning guiyang lanzhou urumqi
    wulumuqi huhehaote hohhot yinchuan xining lasa haikou zhuhai"""
)

_HANZI_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


@dataclass(frozen=True, slots=True)
class NormName:
    """One name after normalisation, with what was done to it."""

    original: str
    tokens: tuple[str, ...]
    hanzi: str  # the Chinese characters of the name (legal forms removed), "" if none
    readings: tuple[str, ...]  # toned pinyin of each character ("hua2"), for character names
    pinyin: bool  # every token is made of pinyin syllables
    removed: tuple[str, ...]  # legal forms and generic words taken out
    transliterated: bool  # Chinese characters were turned into pinyin

    @property
    def joined(self) -> str:
        return "".join(self.tokens)

    @property
    def only_hanzi(self) -> bool:
        return bool(self.hanzi) and self.transliterated and not self._latin

    @property
    def _latin(self) -> bool:
        return any(ch.isascii() and ch.isalnum() for ch in self.original)


def is_hanzi(text: str) -> bool:
    return bool(_HANZI_RE.search(text))


def strip_marks(text: str) -> str:
    """Casefold and drop diacritics and tone marks: "Lǚ Xiǎomíng" → "lu xiaoming"."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", plain).replace("ß", "ss")


@lru_cache(maxsize=200_000)
def segment_pinyin(token: str) -> tuple[str, ...] | None:
    """Split a token into pinyin syllables ("xiaoming" → xiao, ming), or None if it is not pinyin.

    The split with the fewest syllables wins; ü-variants (lv, lyu) come back as "lu".
    """
    n = len(token)
    if not n or not token.isalpha():
        return None
    # (syllables, ü-variants used): fewest syllables, then fewest variants ("hanyu" is
    # han-yu, not ha-nyu).
    best: list[tuple[tuple[str, ...], int] | None] = [None] * (n + 1)
    best[0] = ((), 0)
    for end in range(1, n + 1):
        for start in range(max(0, end - _MAX_SYLLABLE), end):
            head = best[start]
            if head is None:
                continue
            piece = token[start:end]
            variant = 0 if piece in _SYLLABLES else 1
            syl = piece if not variant else _U_VARIANTS.get(piece)
            if syl is None:
                continue
            cand = ((*head[0], syl), head[1] + variant)
            current = best[end]
            if current is None or (len(cand[0]), cand[1]) < (len(current[0]), current[1]):
                best[end] = cand
    found = best[n]
    return None if found is None else found[0]


_TONE_MARKS = {"\u0304": "1", "\u0301": "2", "\u030c": "3", "\u0300": "4"}


@lru_cache(maxsize=5_000)
def _syllable_forms(marked: str) -> tuple[str, str]:
    """A tone-marked syllable as (plain with ü → u, numbered): "lǚ" → ("lu", "lv3")."""
    tone = "5"
    letters: list[str] = []
    for ch in unicodedata.normalize("NFD", marked):
        if ch in _TONE_MARKS:
            tone = _TONE_MARKS[ch]
        elif ch == "\u0308":  # the dots of ü
            letters[-1] = "v"
        elif not unicodedata.combining(ch):
            letters.append(ch)
    numbered = "".join(letters)
    return numbered.replace("v", "u"), numbered + tone


@lru_cache(maxsize=100_000)
def _hanzi_pinyin(run: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Pinyin of a run of characters, words first (重庆 → chong qing), then character by
    character; pypinyin's dictionaries, without its slower style pipeline."""
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
    from pypinyin.seg.mmseg import seg

    marked: list[str] = []
    for word in seg.cut(run):
        phrase = PHRASES_DICT.get(word) if len(word) > 1 else None
        if phrase is not None and len(phrase) == len(word):
            marked.extend(r[0] for r in phrase)
            continue
        for ch in word:
            readings = PINYIN_DICT.get(ord(ch))
            marked.append(readings.split(",", 1)[0] if readings else ch)
    forms = [_syllable_forms(m) for m in marked]
    return tuple(f[0] for f in forms), tuple(f[1] for f in forms)


def _strip_hanzi_org(text: str, removed: list[str]) -> str:
    for word in _HANZI_LEGAL:
        if word in text:
            removed.append(word)
            text = text.replace(word, " ")
    return text


@lru_cache(maxsize=400_000)
def normalize(name: str, person: bool = False) -> NormName:
    """Bring a person's or an organisation's name into the form the matcher compares."""
    # NFKC leaves plain ASCII as it is; ASCII holds no Chinese characters or legal forms
    ascii_only = name.isascii()
    text = (name if ascii_only else unicodedata.normalize("NFKC", name)).strip()
    removed: list[str] = []
    if not person:
        if "(" in text or "（" in text:  # the jurisdiction is always in brackets
            jurisdiction = _JURISDICTION_RE.search(text)
            if jurisdiction is not None:
                removed.append(jurisdiction.group())
                text = _JURISDICTION_RE.sub(" ", text)
        if not ascii_only:
            text = _strip_hanzi_org(text, removed)
    hanzi = "" if ascii_only else "".join(_HANZI_RE.findall(text))
    readings: list[str] = []
    transliterated = False
    if hanzi:
        for word, repl in _HANZI_INSTITUTIONS:
            text = text.replace(word, repl)
        parts: list[str] = []
        pos = 0
        for m in _HANZI_RE.finditer(text):
            parts.append(text[pos : m.start()])
            plain, toned = _hanzi_pinyin(m.group())
            readings.extend(toned)
            parts.append(" " + " ".join(plain) + " ")
            transliterated = True
            pos = m.end()
        parts.append(text[pos:])
        text = "".join(parts)
    folded = strip_marks(text)
    # Hyphens join ("Xiao-ming" is one given name); apostrophes separate ("Xi'an"), as
    # every other character but [0-9a-z] does: the words are the runs of those.
    folded = folded.replace("-", "")
    if not ascii_only:
        folded = folded.replace("‐", "")
    raw = _WORD_RE.findall(folded)
    several = len(raw) > 1
    tokens: list[str] = []
    all_pinyin = True
    for word in raw:
        if word.isdigit():  # no rule applies to a number ("Institute 14"), nor is it pinyin
            tokens.append(word)
            all_pinyin = False
            continue
        what, tok, pinyin = _word_rule(word, person)
        if what is _DROP:
            removed.append(tok)
        elif what is _KEEP or not several:  # a stopword alone is the name
            tokens.append(tok)
            all_pinyin = all_pinyin and pinyin
    if not person and len(tokens) > 1 and not _FORM_STARTS.isdisjoint(tokens):
        tokens = _replace_syllable_forms(tokens, removed)
        all_pinyin = all(segment_pinyin(t) is not None for t in tokens)
    if not tokens and raw:  # a name made only of legal words ("Holding AG") stays as it is
        tokens = [t for t in raw if t not in STOPWORDS] or raw
        removed = []
        all_pinyin = all(segment_pinyin(t) is not None for t in tokens)
    is_pinyin = bool(tokens) and all_pinyin
    return NormName(
        original=name,
        tokens=tuple(tokens),
        hanzi=hanzi,
        readings=tuple(readings),
        pinyin=is_pinyin,
        removed=tuple(removed),
        transliterated=transliterated,
    )


_DROP, _STOP, _KEEP = "drop", "stop", "keep"
_WORD_RE = re.compile(r"[0-9a-z]+")


@lru_cache(maxsize=50_000)
def _word_rule(word: str, person: bool) -> tuple[str, str, bool]:
    """What ``normalize`` does with one word of a name: (``_DROP`` — a legal form or
    honorific, given in its canonical spelling —, ``_STOP`` — left out unless it is the
    whole name — or ``_KEEP``; the word as kept, pinyin joined; is it pinyin)."""
    tok = CANONICAL.get(word, word)
    if (tok in HONORIFICS) if person else (tok in LEGAL_FORMS or tok in ORG_WORDS):
        return _DROP, tok, False
    syl = segment_pinyin(tok)
    kept = tok if syl is None else "".join(syl)  # "lv" → "lu": still pinyin
    return (_STOP if tok in STOPWORDS else _KEEP), kept, syl is not None


def _replace_syllable_forms(tokens: list[str], removed: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for pattern, repl in _FORMS_BY_START.get(tokens[i], ()):
            if tuple(tokens[i : i + len(pattern)]) == pattern:
                if repl is None:
                    removed.append(" ".join(pattern))
                else:
                    out.append(repl)
                i += len(pattern)
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


@lru_cache(maxsize=20_000)
def readings_of(char: str) -> frozenset[str]:
    """Every toned pinyin reading of one character (長: chang2, zhang3)."""
    from pypinyin import Style, pinyin

    return frozenset(
        pinyin(char, style=Style.TONE3, heteronym=True, neutral_tone_with_five=True)[0]
    )


@lru_cache(maxsize=200_000)
def syllables(name: NormName) -> tuple[str, ...]:
    """The name as pinyin syllables where its tokens are pinyin, else its tokens."""
    return syllables_of(name.tokens)


def syllables_of(tokens: Iterable[str]) -> tuple[str, ...]:
    """Tokens as pinyin syllables where they are pinyin, else as they are (``syllables``
    without its cache, for a name met once, e.g. while a list is indexed)."""
    out: list[str] = []
    for tok in tokens:
        seg = segment_pinyin(tok)
        if seg is None:
            out.append(tok)
        else:
            out.extend(seg)
    return tuple(out)


_NOT_ASCII_ALNUM = re.compile(r"[^0-9A-Z]+")


def normalize_identifier(value: str) -> str:
    """USCC, registration and tax numbers: only letters and digits, upper case."""
    if value.isascii():  # NFKC leaves ASCII alone; its letters and digits are [0-9A-Z]
        return _NOT_ASCII_ALNUM.sub("", value.upper())
    return "".join(ch for ch in unicodedata.normalize("NFKC", value).upper() if ch.isalnum())


# Surnames whose reading as a surname differs from the character's usual one (verified
# against lists of "easily misread surnames"): 单 is Shàn, 区 is Ōu, 沈 is Shěn, never tán.
SURNAME_READINGS: dict[str, frozenset[str]] = {
    "沈": frozenset({"shen3"}),
    "单": frozenset({"shan4"}),
    "解": frozenset({"xie4"}),
    "区": frozenset({"ou1"}),
    "仇": frozenset({"qiu2"}),
    "查": frozenset({"zha1"}),
    "朴": frozenset({"piao2"}),
    "曾": frozenset({"zeng1"}),
    "任": frozenset({"ren2"}),
    "华": frozenset({"hua4"}),
    "召": frozenset({"shao4"}),
    "纪": frozenset({"ji3"}),
    "种": frozenset({"chong2"}),
    "盖": frozenset({"ge3"}),
    "黑": frozenset({"he4"}),
    "繁": frozenset({"po2"}),
    "翟": frozenset({"zhai2", "di2"}),
    "乐": frozenset({"yue4", "le4"}),
    "覃": frozenset({"qin2"}),
}


@lru_cache(maxsize=20_000)
def surname_readings(char: str) -> frozenset[str]:
    """How a character reads as a surname: its surname reading, else its usual one."""
    if char in SURNAME_READINGS:
        return SURNAME_READINGS[char]
    return primary_reading(char)


@lru_cache(maxsize=20_000)
def primary_reading(char: str) -> frozenset[str]:
    """A character's usual reading (長 and 长 both zhǎng first; 盛 shèng, not chéng)."""
    from pypinyin.constants import PINYIN_DICT

    readings = PINYIN_DICT.get(ord(char))
    if not readings:
        return readings_of(char)
    return frozenset({_syllable_forms(readings.split(",", 1)[0])[1]})


# Public bodies are named by a template ("{city} Municipal Public Security Bureau",
# "{城市}市公安局"): the body and the place are what tell two of them apart. Each body in
# English words (in any order) and in pinyin syllables (in Chinese order).
PUBLIC_BODIES: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    "state_security_bureau": (
        _words("state security bureau"),
        ("guo", "jia", "an", "quan", "ju"),
    ),
    "public_security_bureau": (_words("public security bureau"), ("gong", "an", "ju")),
    "congress_standing_committee": (
        _words("standing committee people congress"),
        ("ren", "min", "dai", "biao", "da", "hui", "chang", "wu", "wei", "yuan", "hui"),
    ),
    "congress": (_words("people congress"), ("ren", "min", "dai", "biao", "da", "hui")),
    "foreign_affairs_office": (
        _words("foreign affairs office"),
        ("wai", "shi", "ban", "gong", "shi"),
    ),
    "government": (_words("people government"), ("ren", "min", "zheng", "fu")),
    "party_committee": (_words("communist party committee"), ("wei",)),
    "united_front": (_words("united front work department"), ("tong", "zhan", "bu")),
    "procuratorate": (_words("people procuratorate"), ("ren", "min", "jian", "cha", "yuan")),
    "court": (_words("people court"), ("ren", "min", "fa", "yuan")),
}
# Words of the administrative level, dropped from a public body's name.
_LEVEL_WORDS = _words("municipal city provincial province prefecture cpc of the s")
_LEVEL_SYLLABLES: tuple[tuple[str, ...], ...] = (("shi",), ("sheng",), ("zhong", "gong"))


def _syllable_seqs(words: Iterable[str]) -> set[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for w in words:
        seg = segment_pinyin(w)
        out.add(seg if seg is not None else (w,))
    return out


_GENERIC_SEQS = _syllable_seqs(GENERIC_WORDS)
_PLACE_SEQS = _syllable_seqs(PLACE_WORDS) | {("xi", "an")}


@dataclass(frozen=True, slots=True)
class NameParts:
    """What tells a name apart from names built the same way."""

    distinctive: tuple[str, ...]  # syllables (or words) left after template and generic words
    bodies: frozenset[str]  # public bodies named (PUBLIC_BODIES keys)
    places: tuple[str, ...]  # place names taken out of a firm's name
    full: tuple[str, ...] = ()  # the distinctive part with those places kept

    @property
    def place_like(self) -> bool:
        """The distinctive part is a place: the name is a public body's."""
        return bool(self.bodies)


@lru_cache(maxsize=50_000)
def _near_generic(token: str) -> bool:
    """A generic word with a typo ("Enginering"): as generic as the word itself."""
    if len(token) < 6 or segment_pinyin(token) is not None:
        return False
    from rapidfuzz.distance import OSA

    return any(
        abs(len(g) - len(token)) <= 1 and OSA.distance(g, token, score_cutoff=1) <= 1
        for g in _GENERIC_LONG
    )


_GENERIC_LONG = tuple(w for w in GENERIC_WORDS if len(w) >= 6)


def _cut(seq: list[str], pattern: tuple[str, ...]) -> bool:
    n = len(pattern)
    for i in range(len(seq) - n + 1):
        if tuple(seq[i : i + n]) == pattern:
            del seq[i : i + n]
            return True
    return False


@lru_cache(maxsize=200_000)
def name_parts(name: NormName) -> NameParts:
    """Split an organisation's name into its distinctive part, the public body it names and
    the places it holds ("Jiyuan Municipal Public Security Bureau" → jiyuan / PSB)."""
    syl = list(syllables(name))
    words = set(syl)
    bodies: set[str] = set()
    for key, (english, pinyin) in PUBLIC_BODIES.items():
        if len(pinyin) > 1 and _cut(syl, pinyin):
            bodies.add(key)
        elif english <= words and len(english) > 1:
            bodies.add(key)
            syl = [s for s in syl if s not in english]
            words -= english
    if bodies and "congress_standing_committee" in bodies:
        bodies.discard("congress")
    if bodies:
        syl = [s for s in syl if s not in _LEVEL_WORDS]
        for pattern in _LEVEL_SYLLABLES:
            while _cut(syl, pattern):
                pass
        if "party_committee" not in bodies and syl[-1:] == ["wei"]:
            syl = syl[:-1]
            bodies.add("party_committee")
        return NameParts(tuple(syl), frozenset(bodies), (), tuple(syl))
    for pattern in sorted(_GENERIC_SEQS, key=len, reverse=True):
        while _cut(syl, pattern):
            pass
    syl = [s for s in syl if not _near_generic(s)]
    places: list[str] = []
    full = tuple(syl)
    if not INSTITUTION_WORDS.isdisjoint(syl):
        return NameParts(full, frozenset(), (), full)  # "Nanjing University": the place counts
    for pattern in sorted(_PLACE_SEQS, key=len, reverse=True):
        rest = list(syl)
        if _cut(rest, pattern) and rest:
            places.append("".join(pattern))
            syl = rest
            if syl[:1] == ["shi"] and "shi" in name.tokens:
                syl = syl[1:]  # 深圳市
    return NameParts(tuple(syl), frozenset(), tuple(places), full)


def trim_caches() -> None:
    """Empty the caches of normalisation (a long build keeps its memory flat with this;
    results never depend on them)."""
    for cached in (normalize, syllables, name_parts):
        cached.cache_clear()
