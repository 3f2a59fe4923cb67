"""Formulation templates per category for the synthetic demo catalog: bases, active sets, sizes and price bands.

Every product built from these is invented (brand names included) and labelled synthetic; the INCI lists follow
the usual order of real labels (solvent, humectants, actives, emollients, thickeners, preservatives, fragrance).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Base:
    """A vehicle: its name in the product title, subcategory, the INCI head (before actives) and tail (after)."""

    title: str
    subcategory: str
    head: tuple[str, ...]
    tail: tuple[str, ...]


@dataclass(frozen=True)
class Actives:
    """An active set: the claim word in the title, its INCI names, highlight text and a price premium."""

    claim: str
    inci: tuple[str, ...]
    highlight: str
    premium: float = 1.0


@dataclass(frozen=True)
class Recipe:
    """How to make `count` products of one category."""

    category: str
    product_type: str
    count: int
    sizes: tuple[str, ...]
    price: tuple[float, float]
    bases: tuple[Base, ...]
    actives: tuple[Actives, ...]


EMULSION_TAIL = ("Cetearyl Alcohol", "Glyceryl Stearate", "PEG-100 Stearate", "Dimethicone", "Xanthan Gum")
GEL_TAIL = ("Carbomer", "Sodium Hydroxide", "Disodium EDTA")
A = Actives
B = Base

RECIPES: tuple[Recipe, ...] = (
    Recipe(
        "cleanser",
        "Cleanser",
        45,
        ("150 ml", "250 ml"),
        (8, 26),
        (
            B(
                "Gel Cleanser",
                "gel cleanser",
                ("Aqua", "Sodium Cocoyl Isethionate", "Cocamidopropyl Betaine", "Glycerin"),
                ("Sodium Chloride", "Citric Acid"),
            ),
            B(
                "Foaming Cleanser",
                "foam cleanser",
                ("Aqua", "Sodium Laureth Sulfate", "Cocamidopropyl Betaine", "Glycerin"),
                ("Sodium Chloride", "Citric Acid"),
            ),
            B(
                "Cream Cleanser",
                "cream cleanser",
                ("Aqua", "Glycerin", "Caprylic/Capric Triglyceride", "Decyl Glucoside"),
                ("Cetearyl Alcohol", "Xanthan Gum"),
            ),
            B(
                "Cleansing Balm",
                "cleansing balm",
                (
                    "Caprylic/Capric Triglyceride",
                    "Butyrospermum Parkii Butter",
                    "Polysorbate 20",
                    "Simmondsia Chinensis Seed Oil",
                ),
                ("Tocopherol",),
            ),
            B(
                "Micellar Water",
                "micellar water",
                ("Aqua", "Coco-Glucoside", "Glycerin", "Butylene Glycol"),
                ("Disodium EDTA",),
            ),
        ),
        (
            A("Clarifying", ("Salicylic Acid", "Zinc PCA"), "2% salicylic acid clears pores"),
            A("Calming", ("Centella Asiatica Extract", "Panthenol", "Allantoin"), "cica and panthenol soothe"),
            A("Hydrating", ("Sodium Hyaluronate", "Ceramide NP"), "hyaluronic acid and ceramides"),
            A("Brightening", ("Niacinamide", "Ascorbyl Glucoside"), "niacinamide and vitamin C"),
            A("Smoothing", ("Lactic Acid", "Gluconolactone"), "gentle lactic acid and PHA"),
            A("Purifying", ("Kaolin", "Camellia Sinensis Leaf Extract"), "kaolin clay and green tea"),
            A("Acne Control", ("Benzoyl Peroxide",), "benzoyl peroxide 4%", 1.1),
            A("Oat Comfort", ("Avena Sativa Kernel Flour", "Beta-Glucan"), "colloidal oatmeal"),
        ),
    ),
    Recipe(
        "toner",
        "Toner",
        35,
        ("150 ml", "200 ml"),
        (10, 30),
        (
            B("Toner", "hydrating toner", ("Aqua", "Glycerin", "Butylene Glycol"), ("Citric Acid",)),
            B("Exfoliating Toner", "exfoliating toner", ("Aqua",), ("Sodium Hydroxide", "Citric Acid")),
            B("Essence", "essence", ("Aqua", "Propanediol", "Glycerin"), GEL_TAIL[:1]),
            B("Face Mist", "mist", ("Aqua", "Glycerin"), ()),
        ),
        (
            A("Hyaluronic", ("Sodium Hyaluronate", "Hyaluronic Acid", "Beta-Glucan"), "three weights of hydration"),
            A("Glycolic 7%", ("Glycolic Acid", "Aloe Barbadensis Leaf Juice"), "7% glycolic acid resurfaces", 1.1),
            A("BHA", ("Salicylic Acid", "Hamamelis Virginiana Water"), "salicylic acid and witch hazel"),
            A("PHA", ("Gluconolactone", "Lactobionic Acid", "Panthenol"), "PHAs for sensitive skin"),
            A("Snail", ("Snail Secretion Filtrate", "Sodium PCA"), "96% snail mucin"),
            A("Niacinamide", ("Niacinamide", "Zinc PCA"), "5% niacinamide"),
            A(
                "Aloe Calm",
                ("Aloe Barbadensis Leaf Juice", "Dipotassium Glycyrrhizate", "Bisabolol"),
                "aloe and bisabolol",
            ),
        ),
    ),
    Recipe(
        "serum",
        "Serum",
        70,
        ("30 ml",),
        (14, 68),
        (
            B("Serum", "hydrating serum", ("Aqua", "Propanediol", "Glycerin"), GEL_TAIL),
            B("Concentrate", "ampoule", ("Aqua", "Butylene Glycol", "Pentylene Glycol"), GEL_TAIL[:2]),
            B("Face Oil", "face oil", ("Squalane", "Caprylic/Capric Triglyceride"), ("Tocopherol",)),
        ),
        (
            A("Niacinamide 10%", ("Niacinamide", "Zinc PCA"), "10% niacinamide with zinc"),
            A("Vitamin C 15%", ("Ascorbic Acid", "Ferulic Acid", "Tocopherol"), "15% L-ascorbic acid", 1.4),
            A("Vitamin C Derivative", ("Sodium Ascorbyl Phosphate", "3-O-Ethyl Ascorbic Acid"), "stable vitamin C"),
            A("Retinol 0.3%", ("Retinol", "Squalane", "Bisabolol"), "0.3% encapsulated retinol", 1.5),
            A("Retinal 0.1%", ("Retinal", "Tocopherol"), "0.1% retinaldehyde", 1.7),
            A("Gentle Retinoid", ("Hydroxypinacolone Retinoate", "Squalane"), "granactive retinoid", 1.4),
            A("Bakuchiol", ("Bakuchiol", "Squalane"), "plant-based bakuchiol", 1.3),
            A(
                "Peptide",
                ("Palmitoyl Tripeptide-1", "Palmitoyl Tetrapeptide-7", "Acetyl Hexapeptide-8"),
                "peptide complex",
                1.5,
            ),
            A("Copper Peptide", ("Copper Tripeptide-1", "Sodium Hyaluronate"), "copper peptides", 1.6),
            A("Hyaluronic B5", ("Sodium Hyaluronate", "Hyaluronic Acid", "Panthenol"), "hyaluronic acid and B5"),
            A("Azelaic 10%", ("Azelaic Acid", "Niacinamide"), "10% azelaic acid", 1.2),
            A("Tranexamic", ("Tranexamic Acid", "Alpha-Arbutin", "Niacinamide"), "tranexamic acid and arbutin", 1.3),
            A("Cica", ("Centella Asiatica Extract", "Madecassoside", "Panthenol"), "centella and madecassoside"),
            A("Rosehip", ("Rosa Canina Fruit Oil", "Tocopherol"), "cold-pressed rosehip oil"),
            A("Ectoin Barrier", ("Ectoin", "Ceramide NP", "Cholesterol"), "ectoin and ceramides", 1.2),
        ),
    ),
    Recipe(
        "moisturiser",
        "Moisturizer",
        50,
        ("50 ml", "100 ml"),
        (12, 55),
        (
            B("Gel Cream", "gel cream", ("Aqua", "Glycerin", "Propanediol"), ("Dimethicone", *GEL_TAIL)),
            B("Cream", "cream", ("Aqua", "Glycerin", "Caprylic/Capric Triglyceride", "Squalane"), EMULSION_TAIL),
            B("Night Cream", "night cream", ("Aqua", "Glycerin", "Butyrospermum Parkii Butter"), EMULSION_TAIL),
            B("Lotion", "lotion", ("Aqua", "Glycerin", "Caprylic/Capric Triglyceride"), EMULSION_TAIL[:3]),
            B(
                "Balm",
                "balm",
                ("Butyrospermum Parkii Butter", "Caprylic/Capric Triglyceride", "Lanolin"),
                ("Tocopherol",),
            ),
        ),
        (
            A(
                "Barrier",
                ("Ceramide NP", "Ceramide AP", "Ceramide EOP", "Cholesterol", "Phytosphingosine"),
                "three ceramides and cholesterol",
                1.2,
            ),
            A("Oil Control", ("Niacinamide", "Zinc PCA", "Silica"), "niacinamide and zinc mattify"),
            A(
                "Redness Relief",
                ("Centella Asiatica Extract", "Azelaic Acid", "Bisabolol"),
                "centella and azelaic acid",
            ),
            A("Urea 10%", ("Urea", "Sodium PCA", "Panthenol"), "10% urea smooths rough skin"),
            A("Retinol Renewal", ("Retinol", "Palmitoyl Tripeptide-1"), "retinol and peptides", 1.5),
            A("Peptide Firming", ("Palmitoyl Tetrapeptide-7", "Acetyl Hexapeptide-8", "Adenosine"), "peptides", 1.4),
            A("Oat Relief", ("Avena Sativa Kernel Flour", "Allantoin"), "colloidal oatmeal"),
            A("Vitamin C Glow", ("Tetrahexyldecyl Ascorbate", "Tocopherol"), "oil-soluble vitamin C", 1.2),
            A("Hydra Boost", ("Sodium Hyaluronate", "Sodium Polyglutamate"), "hyaluronic and polyglutamic acid"),
        ),
    ),
    Recipe(
        "sunscreen",
        "Sunscreen",
        35,
        ("50 ml",),
        (12, 40),
        (
            B(
                "Sunscreen SPF 50",
                "chemical sunscreen",
                ("Aqua",),
                ("Caprylic/Capric Triglyceride", "Glycerin", "Silica", *EMULSION_TAIL[:2]),
            ),
            B(
                "Mineral Sunscreen SPF 30",
                "mineral sunscreen",
                ("Aqua",),
                ("Caprylic/Capric Triglyceride", "Glycerin", "Dimethicone", "Silica"),
            ),
            B("Tinted Sunscreen SPF 30", "tinted sunscreen", ("Aqua",), ("Dimethicone", "Glycerin", "Iron Oxides")),
        ),
        (
            A(
                "Daily Fluid",
                (
                    "Bis-Ethylhexyloxyphenol Methoxyphenyl Triazine",
                    "Ethylhexyl Triazone",
                    "Diethylamino Hydroxybenzoyl Hexyl Benzoate",
                ),
                "modern UVA/UVB filters",
                1.2,
            ),
            A(
                "Classic",
                ("Butyl Methoxydibenzoylmethane", "Octocrylene", "Homosalate", "Ethylhexyl Salicylate"),
                "broad-spectrum avobenzone",
            ),
            A("Zinc", ("Zinc Oxide",), "20% non-nano zinc oxide"),
            A("Zinc + Titanium", ("Zinc Oxide", "Titanium Dioxide"), "zinc oxide and titanium dioxide"),
            A("Niacinamide Shield", ("Zinc Oxide", "Niacinamide"), "zinc oxide with niacinamide", 1.2),
        ),
    ),
    Recipe(
        "exfoliant",
        "Exfoliant",
        25,
        ("100 ml",),
        (12, 38),
        (
            B("Liquid Exfoliant", "chemical exfoliant", ("Aqua",), ("Butylene Glycol", "Sodium Hydroxide")),
            B("Peel", "peel", ("Aqua",), ("Propanediol", "Sodium Hydroxide")),
            B("Polish", "scrub", ("Aqua", "Glycerin", "Jojoba Esters"), EMULSION_TAIL[:2]),
        ),
        (
            A("AHA 10%", ("Glycolic Acid", "Lactic Acid"), "10% glycolic and lactic acids", 1.1),
            A("BHA 2%", ("Salicylic Acid", "Camellia Sinensis Leaf Extract"), "2% salicylic acid"),
            A("Mandelic", ("Mandelic Acid", "Panthenol"), "gentle mandelic acid"),
            A("AHA + BHA", ("Glycolic Acid", "Salicylic Acid"), "glycolic plus salicylic acid", 1.2),
            A("PHA", ("Gluconolactone", "Lactobionic Acid"), "PHAs for sensitive skin"),
        ),
    ),
    Recipe(
        "mask",
        "Mask",
        20,
        ("75 ml",),
        (10, 36),
        (
            B("Clay Mask", "clay mask", ("Aqua", "Kaolin", "Bentonite"), ("Glycerin", "Xanthan Gum")),
            B("Sleeping Mask", "sleeping mask", ("Aqua", "Glycerin", "Butylene Glycol"), ("Dimethicone", *GEL_TAIL)),
            B("Cream Mask", "cream mask", ("Aqua", "Glycerin", "Caprylic/Capric Triglyceride"), EMULSION_TAIL[:3]),
        ),
        (
            A("Detox", ("Charcoal Powder", "Salicylic Acid"), "charcoal and salicylic acid"),
            A("Overnight Repair", ("Ceramide NP", "Sodium Hyaluronate", "Panthenol"), "ceramides overnight"),
            A("Glow", ("Glycolic Acid", "Ascorbyl Glucoside"), "glycolic acid and vitamin C", 1.2),
            A("Soothing", ("Centella Asiatica Extract", "Avena Sativa Kernel Flour"), "cica and oat"),
            A("Pore Refining", ("Niacinamide", "Kaolin"), "niacinamide and kaolin"),
        ),
    ),
    Recipe(
        "eye cream",
        "Eye Cream",
        20,
        ("15 ml",),
        (16, 58),
        (
            B("Eye Cream", "eye cream", ("Aqua", "Glycerin", "Caprylic/Capric Triglyceride"), EMULSION_TAIL),
            B("Eye Gel", "eye gel", ("Aqua", "Glycerin", "Butylene Glycol"), GEL_TAIL),
            B("Eye Serum", "eye serum", ("Aqua", "Propanediol"), GEL_TAIL[:2]),
        ),
        (
            A("Caffeine", ("Caffeine", "Hesperidin Methyl Chalcone", "Dipeptide-2"), "caffeine de-puffs", 1.1),
            A("Retinol Eye", ("Retinol", "Palmitoyl Tripeptide-1"), "gentle retinol for fine lines", 1.5),
            A("Brightening Eye", ("Phytonadione", "Niacinamide", "Caffeine"), "vitamin K and caffeine", 1.2),
            A("Peptide Eye", ("Acetyl Hexapeptide-8", "Adenosine", "Sodium Hyaluronate"), "peptides and HA", 1.3),
        ),
    ),
    Recipe(
        "spot treatment",
        "Spot Treatment",
        15,
        ("15 ml",),
        (8, 24),
        (
            B("Spot Gel", "spot gel", ("Aqua", "Propanediol"), GEL_TAIL),
            B("Spot Cream", "spot cream", ("Aqua", "Glycerin"), EMULSION_TAIL[:3]),
        ),
        (
            A("Benzoyl 2.5%", ("Benzoyl Peroxide",), "2.5% benzoyl peroxide"),
            A("Salicylic 2%", ("Salicylic Acid", "Niacinamide"), "2% salicylic acid"),
            A("Sulfur", ("Sulfur", "Zinc Oxide"), "sulfur and zinc", 1.1),
            A("Tea Tree", ("Melaleuca Alternifolia Leaf Oil", "Salicylic Acid"), "tea tree oil"),
            A("Azelaic", ("Azelaic Acid", "Centella Asiatica Extract"), "azelaic acid and cica"),
        ),
    ),
)
