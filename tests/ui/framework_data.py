"""The seed's policy framework diagram, built with factories (tests only; the real data comes from load_reference)."""

from cleanasia.framework.models import NodeKind
from tests.factories import FrameworkNodeFactory

# (code, kind, title_ja, title_en, lines as (title_ja, title_en))
SEED_FRAMEWORK = [
    (
        "V",
        NodeKind.VISION,
        "クリーンアジア・イニシアティブ ～アジア経済環境共同体構想の軸として～",
        "Clean Asia Initiative: the axis of an Asian economic-environmental community",
        [],
    ),
    (
        "G1",
        NodeKind.GOAL,
        "低炭素型・低公害型社会の実現",
        "Promote low-carbon/low-pollution society",
        [
            (
                "低炭素社会への移行を加速するためのビジョンの共有",
                "Share a vision that speeds the move to a low-carbon society",
            ),
            ("公害対策と温暖化対策を同時に実現するコベネフィット型の開発を推進", "Promote co-benefit development"),
        ],
    ),
    (
        "G2",
        NodeKind.GOAL,
        "循環型社会の実現",
        "Promote Sound Material-Cycle society",
        [
            ("東アジア循環型社会ビジョンの策定", "Draw up an East Asia vision of a sound material-cycle society"),
            (
                "我が国の技術等を活用し、各国内の3Rを支援。不適正な循環資源の国際移動を防止",
                "Support each country's 3R; prevent improper international movement of recyclable resources",
            ),
            ("アジア全体での循環資源の有効利活用を推進", "Promote effective use of recyclable resources across Asia"),
        ],
    ),
    (
        "G3",
        NodeKind.GOAL,
        "気候変動に適応し、自然と共生する社会の実現",
        "Promote societies in harmony with nature, while adapting to climate change",
        [
            ("自然共生モデルの提唱", "Propose a model of living in harmony with nature"),
            ("適応対策のためのソフト&ハードインフラの整備", "Build soft and hard infrastructure for adaptation"),
            ("観測及び研究による影響・脆弱性の把握・予測", "Grasp and predict impacts and vulnerability"),
        ],
    ),
    (
        "X",
        NodeKind.CROSS_CUTTING,
        "市場のグリーン化の促進",
        "Promote environmentalism in the market",
        [
            ("グリーン購入、サプライチェーンのグリーン化推進", "Green purchasing; greening of supply chains"),
            ("金融資本市場における環境配慮型経済活動の推進", "Environment-conscious activity in financial markets"),
        ],
    ),
    (
        "F",
        NodeKind.FOUNDATION,
        "連携の基盤確立",
        "Foundations for cooperation",
        [
            ("自然共生社会を支えるパートナーシップの強化", "Strengthen partnerships"),
            ("人材の育成と活用", "Train and utilize human resources"),
            ("環境モニタリングや対策の標準化・ネットワーク化", "Standardize and network environmental monitoring"),
            ("環境と貿易の相互支持性の維持", "Maintain mutually supportive relationship between environment and trade"),
        ],
    ),
    (
        "P",
        NodeKind.PRINCIPLE,
        "各国の伝統、文化等に配慮しつつ、日本の経験・技術・組織・制度をパッケージとしてアジアに展開",
        "Deploy Japan's experience, technology, organisations and institutions in Asia as packages",
        [],
    ),
    (
        "M",
        NodeKind.MEANS,
        "東アジア首脳会議環境大臣会合、アジア環境研究・研修ネットワーク構想(仮称)等により施策を推進・支援",
        "Driven through the EAS environment ministers' meeting and the research and training network",
        [],
    ),
]


def build_seed_framework() -> dict:
    """Create the seed's tree; returns the nodes by code (lines are `G1.1`, `G1.2`, ...)."""
    nodes = {}
    for position, (code, kind, title_ja, title_en, lines) in enumerate(SEED_FRAMEWORK, start=1):
        parent = FrameworkNodeFactory(code=code, kind=kind, title_ja=title_ja, title_en=title_en, position=position)
        nodes[code] = parent
        for index, (line_ja, line_en) in enumerate(lines, start=1):
            nodes[f"{code}.{index}"] = FrameworkNodeFactory(
                code=f"{code}.{index}",
                kind=NodeKind.DIRECTION,
                parent=parent,
                title_ja=line_ja,
                title_en=line_en,
                position=index,
            )
    return nodes
