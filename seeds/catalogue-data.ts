/**
 * The demo catalogue as data: a category tree and a few hundred real-world electronics products, expanded
 * from compact model tables (brand × model × variant). Everything here is deterministic, so skus, stock
 * levels and image urls are the same on every machine and every run.
 */

/** Spec values are strings so the shop can filter on `specs->>'$.ram' = '16GB'` without type juggling. */
export type ProductSpecs = Readonly<Record<string, string>>;

export interface CategorySeed {
  slug: string;
  name: string;
  /** Null for a top-level category; parents are listed before their children. */
  parentSlug: string | null;
  position: number;
}

export interface ProductSeed {
  sku: string;
  name: string;
  brand: string;
  categorySlug: string;
  description: string;
  /** Integer won. */
  price: number;
  stock: number;
  specs: ProductSpecs;
  /** 1–3 urls; the first is the primary image. */
  imageUrls: string[];
}

/** One row of a model table: what tells the variants of a model apart, its price and its own specs. */
export type VariantRow = readonly [label: string, price: number, specs?: ProductSpecs];

/** A model sold in one or more variants; each variant becomes one product. */
export interface ProductLine {
  categorySlug: string;
  brand: string;
  model: string;
  description: string;
  specs: ProductSpecs;
  variants: readonly VariantRow[];
}

export const IMAGE_BASE_URL = 'https://images.voltmall.dev/products';

const TREE: ReadonlyArray<
  readonly [slug: string, name: string, children: ReadonlyArray<readonly [string, string]>]
> = [
  [
    'laptops',
    'Laptops',
    [
      ['ultrabooks', 'Ultrabooks'],
      ['gaming-laptops', 'Gaming Laptops'],
      ['business-laptops', 'Business Laptops'],
    ],
  ],
  ['phones', 'Phones', []],
  ['tablets', 'Tablets', []],
  [
    'monitors',
    'Monitors',
    [
      ['gaming-monitors', 'Gaming Monitors'],
      ['professional-monitors', 'Professional Monitors'],
    ],
  ],
  [
    'audio',
    'Audio',
    [
      ['headphones', 'Headphones'],
      ['earbuds', 'Earbuds'],
      ['speakers', 'Speakers & Soundbars'],
    ],
  ],
  [
    'cameras',
    'Cameras',
    [
      ['mirrorless-cameras', 'Mirrorless Cameras'],
      ['action-cameras', 'Action Cameras'],
    ],
  ],
  ['tvs', 'TV', []],
  [
    'wearables',
    'Wearables',
    [
      ['smartwatches', 'Smartwatches'],
      ['fitness-trackers', 'Fitness Trackers'],
    ],
  ],
  [
    'gaming',
    'Gaming',
    [
      ['consoles', 'Consoles & Handhelds'],
      ['gaming-accessories', 'Controllers & Headsets'],
    ],
  ],
  [
    'components',
    'PC Components',
    [
      ['ssds', 'SSDs & Storage'],
      ['graphics-cards', 'Graphics Cards'],
      ['memory', 'Memory'],
    ],
  ],
  [
    'accessories',
    'Accessories',
    [
      ['keyboards', 'Keyboards'],
      ['mice', 'Mice'],
      ['chargers', 'Chargers & Power Banks'],
    ],
  ],
];

export const demoCategories: readonly CategorySeed[] = [
  ...TREE.map(([slug, name], position) => ({ slug, name, parentSlug: null, position })),
  ...TREE.flatMap(([parentSlug, , children]) =>
    children.map(([slug, name], position) => ({ slug, name, parentSlug, position })),
  ),
];

/**
 * The spec keys every product of a category carries, so a filter on one key covers the whole category.
 * Keys are for the category a product sits in (a leaf, or a top-level category without children).
 */
export const SPEC_KEYS: Readonly<Record<string, readonly string[]>> = {
  ultrabooks: ['cpu', 'gpu', 'ram', 'storage', 'screen', 'color'],
  'gaming-laptops': ['cpu', 'gpu', 'ram', 'storage', 'screen', 'color'],
  'business-laptops': ['cpu', 'gpu', 'ram', 'storage', 'screen', 'color'],
  phones: ['ram', 'storage', 'screen', 'battery', 'connectivity', 'color'],
  tablets: ['chip', 'storage', 'screen', 'connectivity', 'color'],
  'gaming-monitors': ['screen', 'resolution', 'refresh_rate', 'panel', 'connectivity'],
  'professional-monitors': ['screen', 'resolution', 'refresh_rate', 'panel', 'connectivity'],
  headphones: ['connectivity', 'battery', 'noise_cancelling', 'color'],
  earbuds: ['connectivity', 'battery', 'noise_cancelling', 'color'],
  speakers: ['connectivity', 'battery', 'waterproof', 'color'],
  'mirrorless-cameras': ['sensor', 'resolution', 'video', 'mount'],
  'action-cameras': ['sensor', 'resolution', 'video', 'waterproof'],
  tvs: ['screen', 'resolution', 'panel', 'refresh_rate'],
  smartwatches: ['size', 'connectivity', 'battery', 'color'],
  'fitness-trackers': ['display', 'connectivity', 'battery', 'color'],
  consoles: ['storage', 'edition', 'color'],
  'gaming-accessories': ['platform', 'connectivity', 'color'],
  ssds: ['storage', 'interface', 'read_speed'],
  'graphics-cards': ['chip', 'memory', 'power'],
  memory: ['capacity', 'speed', 'type'],
  keyboards: ['connectivity', 'layout', 'switch', 'color'],
  mice: ['connectivity', 'dpi', 'weight', 'color'],
  chargers: ['power', 'ports', 'color'],
};

function lines(categorySlug: string, rows: ReadonlyArray<Omit<ProductLine, 'categorySlug'>>): ProductLine[] {
  return rows.map((row) => ({ categorySlug, ...row }));
}

const laptopRam = (ram: string, storage: string): ProductSpecs => ({ ram, storage });

export const productLines: readonly ProductLine[] = [
  ...lines('ultrabooks', [
    {
      brand: 'Apple',
      model: 'MacBook Air 13 M3',
      description:
        'Fanless 13.6-inch laptop with the Apple M3 chip and up to 18 hours of battery life. Liquid Retina display and MagSafe charging.',
      specs: { cpu: 'Apple M3 8-core', gpu: 'Apple M3 10-core GPU', screen: '13.6in', color: 'Midnight' },
      variants: [
        ['16GB/256GB', 1_590_000, laptopRam('16GB', '256GB')],
        ['16GB/512GB', 1_890_000, laptopRam('16GB', '512GB')],
        ['24GB/512GB', 2_190_000, laptopRam('24GB', '512GB')],
      ],
    },
    {
      brand: 'Apple',
      model: 'MacBook Air 15 M3',
      description:
        'The big-screen MacBook Air: a 15.3-inch Liquid Retina display and six-speaker sound in a 1.51 kg body.',
      specs: { cpu: 'Apple M3 8-core', gpu: 'Apple M3 10-core GPU', screen: '15.3in', color: 'Starlight' },
      variants: [
        ['16GB/256GB', 1_890_000, laptopRam('16GB', '256GB')],
        ['16GB/512GB', 2_190_000, laptopRam('16GB', '512GB')],
      ],
    },
    {
      brand: 'Apple',
      model: 'MacBook Pro 14 M4',
      description:
        'Liquid Retina XDR display, three Thunderbolt 4 ports and the M4 chip for sustained pro workloads.',
      specs: { cpu: 'Apple M4 10-core', gpu: 'Apple M4 10-core GPU', screen: '14.2in', color: 'Space Black' },
      variants: [
        ['16GB/512GB', 2_390_000, laptopRam('16GB', '512GB')],
        ['16GB/1TB', 2_690_000, laptopRam('16GB', '1TB')],
        ['24GB/1TB', 2_990_000, laptopRam('24GB', '1TB')],
      ],
    },
    {
      brand: 'Apple',
      model: 'MacBook Pro 16 M4 Pro',
      description:
        'A 16.2-inch Liquid Retina XDR display with the M4 Pro chip and up to 24 hours of battery life.',
      specs: {
        cpu: 'Apple M4 Pro 14-core',
        gpu: 'Apple M4 Pro 20-core GPU',
        screen: '16.2in',
        color: 'Silver',
      },
      variants: [
        ['24GB/512GB', 3_990_000, laptopRam('24GB', '512GB')],
        ['48GB/512GB', 4_590_000, laptopRam('48GB', '512GB')],
      ],
    },
    {
      brand: 'Dell',
      model: 'XPS 14 9440',
      description:
        'A 14.5-inch creator laptop with Intel Core Ultra 7, a seamless glass touchpad and optional 3.2K OLED.',
      specs: { cpu: 'Intel Core Ultra 7 155H', gpu: 'Intel Arc', screen: '14.5in', color: 'Platinum' },
      variants: [
        ['16GB/512GB', 2_590_000, laptopRam('16GB', '512GB')],
        ['32GB/1TB OLED', 3_190_000, laptopRam('32GB', '1TB')],
      ],
    },
    {
      brand: 'Dell',
      model: 'XPS 13 9345',
      description:
        'Snapdragon X Elite in a 1.19 kg chassis with all-day battery life and a 13.4-inch display.',
      specs: {
        cpu: 'Snapdragon X Elite X1E-80-100',
        gpu: 'Qualcomm Adreno',
        screen: '13.4in',
        color: 'Platinum',
      },
      variants: [['16GB/512GB', 1_990_000, laptopRam('16GB', '512GB')]],
    },
    {
      brand: 'Samsung',
      model: 'Galaxy Book4 Pro 14',
      description: 'Dynamic AMOLED 2X touchscreen, Intel Core Ultra processors and a 1.23 kg aluminium body.',
      specs: { cpu: 'Intel Core Ultra 7 155H', gpu: 'Intel Arc', screen: '14in', color: 'Moonstone Gray' },
      variants: [['16GB/512GB', 1_990_000, laptopRam('16GB', '512GB')]],
    },
    {
      brand: 'Samsung',
      model: 'Galaxy Book4 Pro 16',
      description:
        'A 16-inch 3K AMOLED laptop that pairs with Galaxy phones and tablets for Quick Share and Second Screen.',
      specs: { cpu: 'Intel Core Ultra 7 155H', gpu: 'Intel Arc', screen: '16in', color: 'Moonstone Gray' },
      variants: [
        ['16GB/512GB', 2_290_000, laptopRam('16GB', '512GB')],
        ['32GB/1TB', 2_690_000, laptopRam('32GB', '1TB')],
      ],
    },
    {
      brand: 'Samsung',
      model: 'Galaxy Book4 Edge 14',
      description:
        'Copilot+ PC with Snapdragon X Elite, a 3K AMOLED display and up to 22 hours of video playback.',
      specs: {
        cpu: 'Snapdragon X Elite X1E-80-100',
        gpu: 'Qualcomm Adreno',
        screen: '14in',
        color: 'Sapphire Blue',
      },
      variants: [['16GB/512GB', 1_890_000, laptopRam('16GB', '512GB')]],
    },
    {
      brand: 'LG',
      model: 'gram 16 16Z90S',
      description: 'A 16-inch laptop that weighs 1.19 kg, with a 77 Wh battery and MIL-STD-810H durability.',
      specs: { cpu: 'Intel Core Ultra 5 125H', gpu: 'Intel Arc', screen: '16in', color: 'White' },
      variants: [
        ['16GB/512GB', 1_990_000, laptopRam('16GB', '512GB')],
        ['32GB/1TB', 2_390_000, laptopRam('32GB', '1TB')],
      ],
    },
    {
      brand: 'LG',
      model: 'gram 14 14Z90S',
      description: 'The lightest gram: 1 kg, a 14-inch WUXGA IPS panel and a full-size keyboard.',
      specs: { cpu: 'Intel Core Ultra 5 125H', gpu: 'Intel Arc', screen: '14in', color: 'Charcoal Gray' },
      variants: [['16GB/512GB', 1_690_000, laptopRam('16GB', '512GB')]],
    },
    {
      brand: 'LG',
      model: 'gram Pro 16 16Z90SP',
      description: 'A 16-inch 2.5K 144Hz OLED gram with an RTX 3050 option for light creative work.',
      specs: {
        cpu: 'Intel Core Ultra 7 155H',
        gpu: 'NVIDIA GeForce RTX 3050',
        screen: '16in',
        color: 'Obsidian Black',
      },
      variants: [['32GB/1TB', 2_390_000, laptopRam('32GB', '1TB')]],
    },
    {
      brand: 'ASUS',
      model: 'Zenbook 14 OLED UX3405',
      description: 'A 14-inch 3K 120Hz OLED ultrabook with Intel Core Ultra and a 75 Wh battery.',
      specs: { cpu: 'Intel Core Ultra 7 155H', gpu: 'Intel Arc', screen: '14in', color: 'Ponder Blue' },
      variants: [
        ['16GB/512GB', 1_499_000, laptopRam('16GB', '512GB')],
        ['32GB/1TB', 1_799_000, laptopRam('32GB', '1TB')],
      ],
    },
    {
      brand: 'HP',
      model: 'Spectre x360 14',
      description: 'Convertible 14-inch 2.8K OLED laptop with a 9MP camera and a bundled rechargeable pen.',
      specs: { cpu: 'Intel Core Ultra 7 155H', gpu: 'Intel Arc', screen: '14in', color: 'Nightfall Black' },
      variants: [['16GB/1TB', 2_290_000, laptopRam('16GB', '1TB')]],
    },
    {
      brand: 'Microsoft',
      model: 'Surface Laptop 7th Edition 13.8',
      description:
        'Copilot+ PC with Snapdragon X Plus, a 13.8-inch PixelSense touchscreen and up to 20 hours of battery.',
      specs: {
        cpu: 'Snapdragon X Plus X1P-64-100',
        gpu: 'Qualcomm Adreno',
        screen: '13.8in',
        color: 'Platinum',
      },
      variants: [
        ['16GB/256GB', 1_599_000, laptopRam('16GB', '256GB')],
        ['16GB/512GB', 1_899_000, laptopRam('16GB', '512GB')],
      ],
    },
  ]),
  ...lines('gaming-laptops', [
    {
      brand: 'ASUS',
      model: 'ROG Zephyrus G14 GA403',
      description: 'A 14-inch 3K 120Hz OLED gaming laptop in a 1.5 kg CNC aluminium chassis with Ryzen 9.',
      specs: {
        cpu: 'AMD Ryzen 9 8945HS',
        ram: '32GB',
        storage: '1TB',
        screen: '14in',
        color: 'Eclipse Gray',
      },
      variants: [
        ['RTX 4060', 2_790_000, { gpu: 'NVIDIA GeForce RTX 4060' }],
        ['RTX 4070', 3_290_000, { gpu: 'NVIDIA GeForce RTX 4070' }],
      ],
    },
    {
      brand: 'ASUS',
      model: 'ROG Strix G16 G614',
      description: 'A 16-inch 165Hz gaming laptop with Intel Core i9 and a tri-fan cooling design.',
      specs: {
        cpu: 'Intel Core i9-14900HX',
        ram: '16GB',
        storage: '1TB',
        screen: '16in',
        color: 'Eclipse Gray',
      },
      variants: [
        ['RTX 4060', 2_190_000, { gpu: 'NVIDIA GeForce RTX 4060' }],
        ['RTX 4070', 2_590_000, { gpu: 'NVIDIA GeForce RTX 4070' }],
      ],
    },
    {
      brand: 'Lenovo',
      model: 'Legion Pro 5 16IRX9',
      description:
        'A 16-inch WQXGA 240Hz gaming laptop with Legion Coldfront 5.0 cooling and a full-size keyboard.',
      specs: {
        cpu: 'Intel Core i7-14650HX',
        ram: '32GB',
        storage: '1TB',
        screen: '16in',
        color: 'Onyx Grey',
      },
      variants: [
        ['RTX 4060', 2_190_000, { gpu: 'NVIDIA GeForce RTX 4060' }],
        ['RTX 4070', 2_490_000, { gpu: 'NVIDIA GeForce RTX 4070' }],
      ],
    },
    {
      brand: 'Lenovo',
      model: 'Legion 5 15AHP9',
      description: 'Ryzen 7 gaming laptop with a 15.1-inch 2.5K 165Hz panel and a 80 Wh battery.',
      specs: {
        cpu: 'AMD Ryzen 7 8845HS',
        ram: '16GB',
        storage: '512GB',
        screen: '15.1in',
        color: 'Luna Grey',
      },
      variants: [['RTX 4060', 1_890_000, { gpu: 'NVIDIA GeForce RTX 4060' }]],
    },
    {
      brand: 'MSI',
      model: 'Katana 15 B13V',
      description: 'An entry gaming laptop with a 144Hz 15.6-inch display and a red-backlit keyboard.',
      specs: { cpu: 'Intel Core i7-13620H', ram: '16GB', storage: '512GB', screen: '15.6in', color: 'Black' },
      variants: [
        ['RTX 4050', 1_390_000, { gpu: 'NVIDIA GeForce RTX 4050' }],
        ['RTX 4060', 1_590_000, { gpu: 'NVIDIA GeForce RTX 4060' }],
      ],
    },
    {
      brand: 'MSI',
      model: 'Raider GE78 HX 14V',
      description:
        'A 17-inch desktop-replacement with Core i9 HX, a 240Hz QHD+ panel and a Mystic Light bar.',
      specs: {
        cpu: 'Intel Core i9-14900HX',
        ram: '32GB',
        storage: '2TB',
        screen: '17in',
        color: 'Core Black',
      },
      variants: [
        ['RTX 4080', 4_590_000, { gpu: 'NVIDIA GeForce RTX 4080' }],
        ['RTX 4090', 5_490_000, { gpu: 'NVIDIA GeForce RTX 4090' }],
      ],
    },
    {
      brand: 'Razer',
      model: 'Blade 16 2024',
      description: 'A 16-inch dual-mode Mini LED gaming laptop in a unibody aluminium chassis.',
      specs: { cpu: 'Intel Core i9-14900HX', ram: '32GB', storage: '1TB', screen: '16in', color: 'Black' },
      variants: [
        ['RTX 4080', 5_290_000, { gpu: 'NVIDIA GeForce RTX 4080' }],
        ['RTX 4090', 6_490_000, { gpu: 'NVIDIA GeForce RTX 4090' }],
      ],
    },
    {
      brand: 'HP',
      model: 'OMEN 16',
      description: 'A 16.1-inch 165Hz gaming laptop with OMEN Tempest cooling and a 4-zone RGB keyboard.',
      specs: {
        cpu: 'Intel Core i7-14700HX',
        ram: '16GB',
        storage: '1TB',
        screen: '16.1in',
        color: 'Shadow Black',
      },
      variants: [['RTX 4060', 1_990_000, { gpu: 'NVIDIA GeForce RTX 4060' }]],
    },
    {
      brand: 'Dell',
      model: 'Alienware m16 R2',
      description: 'A 16-inch QHD+ 240Hz Alienware with Intel Core Ultra 9 and a stealth-mode keyboard.',
      specs: {
        cpu: 'Intel Core Ultra 9 185H',
        ram: '32GB',
        storage: '1TB',
        screen: '16in',
        color: 'Dark Metallic Moon',
      },
      variants: [['RTX 4070', 2_990_000, { gpu: 'NVIDIA GeForce RTX 4070' }]],
    },
  ]),
  ...lines('business-laptops', [
    {
      brand: 'Lenovo',
      model: 'ThinkPad X1 Carbon Gen 12',
      description:
        'The 1.09 kg carbon-fibre business flagship with Intel vPro, a 2.8K OLED option and a TrackPoint.',
      specs: { cpu: 'Intel Core Ultra 7 155U', gpu: 'Intel Graphics', screen: '14in', color: 'Black' },
      variants: [
        ['16GB/512GB', 2_690_000, laptopRam('16GB', '512GB')],
        ['32GB/1TB', 3_190_000, laptopRam('32GB', '1TB')],
      ],
    },
    {
      brand: 'Lenovo',
      model: 'ThinkPad T14 Gen 5',
      description:
        'The workhorse 14-inch ThinkPad with user-replaceable memory, a 1080p camera and spill-resistant keyboard.',
      specs: { cpu: 'Intel Core Ultra 5 125U', gpu: 'Intel Graphics', screen: '14in', color: 'Black' },
      variants: [
        ['16GB/512GB', 1_790_000, laptopRam('16GB', '512GB')],
        ['32GB/1TB', 2_190_000, laptopRam('32GB', '1TB')],
      ],
    },
    {
      brand: 'Lenovo',
      model: 'ThinkPad E14 Gen 6',
      description:
        'An affordable 14-inch ThinkPad for small businesses with an aluminium top cover and fingerprint reader.',
      specs: { cpu: 'AMD Ryzen 5 7535HS', gpu: 'AMD Radeon 660M', screen: '14in', color: 'Graphite Black' },
      variants: [['16GB/512GB', 1_090_000, laptopRam('16GB', '512GB')]],
    },
    {
      brand: 'Dell',
      model: 'Latitude 7450',
      description: 'A 14-inch premium business laptop with a collaboration touchpad and Intel vPro.',
      specs: { cpu: 'Intel Core Ultra 7 165U', gpu: 'Intel Graphics', screen: '14in', color: 'Titan Gray' },
      variants: [['16GB/512GB', 2_190_000, laptopRam('16GB', '512GB')]],
    },
    {
      brand: 'Dell',
      model: 'Latitude 5450',
      description: 'A mainstream 14-inch business laptop built for fleet deployment and easy servicing.',
      specs: { cpu: 'Intel Core Ultra 5 135U', gpu: 'Intel Graphics', screen: '14in', color: 'Gray' },
      variants: [['16GB/256GB', 1_590_000, laptopRam('16GB', '256GB')]],
    },
    {
      brand: 'HP',
      model: 'EliteBook 840 G11',
      description: 'A 14-inch business laptop with HP Wolf Security, a 5MP camera and an optional 5G modem.',
      specs: { cpu: 'Intel Core Ultra 7 155U', gpu: 'Intel Graphics', screen: '14in', color: 'Silver' },
      variants: [['16GB/512GB', 2_090_000, laptopRam('16GB', '512GB')]],
    },
    {
      brand: 'HP',
      model: 'ProBook 440 G11',
      description:
        'An essential 14-inch business notebook with a spill-resistant keyboard and privacy camera shutter.',
      specs: { cpu: 'Intel Core Ultra 5 125U', gpu: 'Intel Graphics', screen: '14in', color: 'Pike Silver' },
      variants: [['16GB/512GB', 1_190_000, laptopRam('16GB', '512GB')]],
    },
    {
      brand: 'Samsung',
      model: 'Galaxy Book4 15',
      description:
        'A 15.6-inch everyday laptop with a numeric keypad, Wi-Fi 6E and Galaxy ecosystem features.',
      specs: { cpu: 'Intel Core 5 120U', gpu: 'Intel Graphics', screen: '15.6in', color: 'Gray' },
      variants: [['16GB/512GB', 1_090_000, laptopRam('16GB', '512GB')]],
    },
  ]),
  ...lines('phones', [
    {
      brand: 'Samsung',
      model: 'Galaxy S25 Ultra',
      description:
        'Titanium flagship with a 200MP camera, built-in S Pen and Snapdragon 8 Elite for Galaxy. Seven years of OS updates.',
      specs: {
        ram: '12GB',
        screen: '6.9in',
        battery: '5000mAh',
        connectivity: '5G',
        color: 'Titanium Silverblue',
      },
      variants: [
        ['256GB', 1_698_400, { storage: '256GB' }],
        ['512GB', 1_856_800, { storage: '512GB' }],
        ['1TB', 2_172_500, { storage: '1TB' }],
      ],
    },
    {
      brand: 'Samsung',
      model: 'Galaxy S25+',
      description: 'A 6.7-inch QHD+ Galaxy with Snapdragon 8 Elite, 45W charging and Galaxy AI.',
      specs: { ram: '12GB', screen: '6.7in', battery: '4900mAh', connectivity: '5G', color: 'Navy' },
      variants: [
        ['256GB', 1_353_000, { storage: '256GB' }],
        ['512GB', 1_511_400, { storage: '512GB' }],
      ],
    },
    {
      brand: 'Samsung',
      model: 'Galaxy S25',
      description: 'The compact 6.2-inch Galaxy flagship with Snapdragon 8 Elite and a 50MP triple camera.',
      specs: { ram: '12GB', screen: '6.2in', battery: '4000mAh', connectivity: '5G', color: 'Icyblue' },
      variants: [
        ['256GB', 1_155_000, { storage: '256GB' }],
        ['512GB', 1_313_400, { storage: '512GB' }],
      ],
    },
    {
      brand: 'Samsung',
      model: 'Galaxy Z Fold6',
      description:
        'A foldable with a 7.6-inch main screen, lighter hinge and Galaxy AI tools for multitasking.',
      specs: { ram: '12GB', screen: '7.6in', battery: '4400mAh', connectivity: '5G', color: 'Silver Shadow' },
      variants: [
        ['256GB', 2_229_700, { storage: '256GB' }],
        ['512GB', 2_387_000, { storage: '512GB' }],
        ['1TB', 2_701_600, { storage: '1TB' }],
      ],
    },
    {
      brand: 'Samsung',
      model: 'Galaxy Z Flip6',
      description: 'A pocketable flip phone with a 3.4-inch FlexWindow and a 50MP main camera.',
      specs: { ram: '12GB', screen: '6.7in', battery: '4000mAh', connectivity: '5G', color: 'Mint' },
      variants: [
        ['256GB', 1_485_000, { storage: '256GB' }],
        ['512GB', 1_643_400, { storage: '512GB' }],
      ],
    },
    {
      brand: 'Samsung',
      model: 'Galaxy A55 5G',
      description:
        'A mid-range Galaxy with a metal frame, IP67 water resistance and a 6.6-inch 120Hz display.',
      specs: { ram: '8GB', screen: '6.6in', battery: '5000mAh', connectivity: '5G', color: 'Awesome Navy' },
      variants: [['128GB', 599_500, { storage: '128GB' }]],
    },
    {
      brand: 'Samsung',
      model: 'Galaxy A35 5G',
      description:
        'A 6.6-inch Super AMOLED phone with optical image stabilisation and four years of OS updates.',
      specs: {
        ram: '8GB',
        screen: '6.6in',
        battery: '5000mAh',
        connectivity: '5G',
        color: 'Awesome Iceblue',
      },
      variants: [['128GB', 499_400, { storage: '128GB' }]],
    },
    {
      brand: 'Samsung',
      model: 'Galaxy A16 5G',
      description: 'An affordable 5G Galaxy with a 6.7-inch display and six generations of OS upgrades.',
      specs: { ram: '4GB', screen: '6.7in', battery: '5000mAh', connectivity: '5G', color: 'Black' },
      variants: [['128GB', 319_000, { storage: '128GB' }]],
    },
    {
      brand: 'Apple',
      model: 'iPhone 16 Pro Max',
      description:
        'The largest iPhone with a 6.9-inch display, A18 Pro and a 5x telephoto camera. Titanium design with Camera Control.',
      specs: {
        ram: '8GB',
        screen: '6.9in',
        battery: '4685mAh',
        connectivity: '5G',
        color: 'Desert Titanium',
      },
      variants: [
        ['256GB', 1_900_000, { storage: '256GB' }],
        ['512GB', 2_200_000, { storage: '512GB' }],
        ['1TB', 2_500_000, { storage: '1TB' }],
      ],
    },
    {
      brand: 'Apple',
      model: 'iPhone 16 Pro',
      description:
        'A18 Pro, a 48MP Fusion camera and 4K120 Dolby Vision recording in a 6.3-inch titanium body.',
      specs: {
        ram: '8GB',
        screen: '6.3in',
        battery: '3582mAh',
        connectivity: '5G',
        color: 'Natural Titanium',
      },
      variants: [
        ['128GB', 1_550_000, { storage: '128GB' }],
        ['256GB', 1_700_000, { storage: '256GB' }],
        ['512GB', 2_000_000, { storage: '512GB' }],
      ],
    },
    {
      brand: 'Apple',
      model: 'iPhone 16 Plus',
      description:
        'A 6.7-inch iPhone with the A18 chip, Camera Control and the longest battery life of the iPhone 16 line-up.',
      specs: { ram: '8GB', screen: '6.7in', battery: '4674mAh', connectivity: '5G', color: 'Ultramarine' },
      variants: [
        ['128GB', 1_350_000, { storage: '128GB' }],
        ['256GB', 1_500_000, { storage: '256GB' }],
      ],
    },
    {
      brand: 'Apple',
      model: 'iPhone 16',
      description:
        'A18 chip, a 48MP Fusion camera and the Action button on a 6.1-inch Super Retina XDR display.',
      specs: { ram: '8GB', screen: '6.1in', battery: '3561mAh', connectivity: '5G', color: 'Teal' },
      variants: [
        ['128GB', 1_250_000, { storage: '128GB' }],
        ['256GB', 1_400_000, { storage: '256GB' }],
      ],
    },
    {
      brand: 'Apple',
      model: 'iPhone 16e',
      description: 'The most affordable iPhone 16, with the A18 chip and Apple-designed C1 modem.',
      specs: { ram: '8GB', screen: '6.1in', battery: '4005mAh', connectivity: '5G', color: 'White' },
      variants: [['128GB', 990_000, { storage: '128GB' }]],
    },
    {
      brand: 'Apple',
      model: 'iPhone 15',
      description: 'Dynamic Island, a 48MP main camera and USB-C on a 6.1-inch display.',
      specs: { ram: '6GB', screen: '6.1in', battery: '3349mAh', connectivity: '5G', color: 'Pink' },
      variants: [['128GB', 1_090_000, { storage: '128GB' }]],
    },
    {
      brand: 'Google',
      model: 'Pixel 9 Pro',
      description: 'Tensor G4, a 50MP triple camera with 5x zoom and seven years of Pixel updates.',
      specs: { ram: '16GB', screen: '6.3in', battery: '4700mAh', connectivity: '5G', color: 'Obsidian' },
      variants: [['256GB', 1_450_000, { storage: '256GB' }]],
    },
    {
      brand: 'Google',
      model: 'Pixel 9',
      description: 'A 6.3-inch Actua display, Tensor G4 and Gemini built in.',
      specs: { ram: '12GB', screen: '6.3in', battery: '4700mAh', connectivity: '5G', color: 'Porcelain' },
      variants: [['128GB', 1_090_000, { storage: '128GB' }]],
    },
    {
      brand: 'Xiaomi',
      model: '14T Pro',
      description: 'Leica-tuned triple camera, MediaTek Dimensity 9300+ and 120W HyperCharge.',
      specs: { ram: '12GB', screen: '6.67in', battery: '5000mAh', connectivity: '5G', color: 'Titan Gray' },
      variants: [['512GB', 899_000, { storage: '512GB' }]],
    },
    {
      brand: 'Xiaomi',
      model: 'Redmi Note 13 Pro 5G',
      description: 'A 200MP camera phone with a 1.5K 120Hz AMOLED display and 67W turbo charging.',
      specs: {
        ram: '8GB',
        screen: '6.67in',
        battery: '5100mAh',
        connectivity: '5G',
        color: 'Midnight Black',
      },
      variants: [['256GB', 449_000, { storage: '256GB' }]],
    },
    {
      brand: 'Nothing',
      model: 'Phone (2a)',
      description:
        'A transparent-back phone with Glyph lights, a 6.7-inch 120Hz AMOLED and clean Nothing OS.',
      specs: { ram: '8GB', screen: '6.7in', battery: '5000mAh', connectivity: '5G', color: 'Milk' },
      variants: [['256GB', 499_000, { storage: '256GB' }]],
    },
  ]),
  ...lines('tablets', [
    {
      brand: 'Apple',
      model: 'iPad Pro 11 M4',
      description: 'The thinnest iPad Pro with an Ultra Retina XDR tandem OLED display and the M4 chip.',
      specs: { chip: 'Apple M4', screen: '11in', color: 'Space Black' },
      variants: [
        ['256GB Wi-Fi', 1_599_000, { storage: '256GB', connectivity: 'Wi-Fi' }],
        ['512GB Wi-Fi', 1_899_000, { storage: '512GB', connectivity: 'Wi-Fi' }],
        ['256GB Wi-Fi + Cellular', 1_899_000, { storage: '256GB', connectivity: 'Wi-Fi + 5G' }],
      ],
    },
    {
      brand: 'Apple',
      model: 'iPad Pro 13 M4',
      description: 'A 13-inch tandem OLED iPad Pro for drawing, editing and Final Cut Pro on the go.',
      specs: { chip: 'Apple M4', screen: '13in', color: 'Silver' },
      variants: [
        ['256GB Wi-Fi', 2_099_000, { storage: '256GB', connectivity: 'Wi-Fi' }],
        ['256GB Wi-Fi + Cellular', 2_399_000, { storage: '256GB', connectivity: 'Wi-Fi + 5G' }],
      ],
    },
    {
      brand: 'Apple',
      model: 'iPad Air 11 M2',
      description: 'The M2 chip in a thin and light 11-inch iPad that works with Apple Pencil Pro.',
      specs: { chip: 'Apple M2', screen: '11in', color: 'Blue', connectivity: 'Wi-Fi' },
      variants: [
        ['128GB Wi-Fi', 899_000, { storage: '128GB' }],
        ['256GB Wi-Fi', 1_059_000, { storage: '256GB' }],
      ],
    },
    {
      brand: 'Apple',
      model: 'iPad Air 13 M2',
      description: 'A 13-inch Liquid Retina iPad Air with landscape front camera and stereo speakers.',
      specs: { chip: 'Apple M2', screen: '13in', color: 'Purple', connectivity: 'Wi-Fi' },
      variants: [['128GB Wi-Fi', 1_199_000, { storage: '128GB' }]],
    },
    {
      brand: 'Apple',
      model: 'iPad 10th generation',
      description: 'The everyday 10.9-inch iPad with an A14 Bionic chip and USB-C.',
      specs: { chip: 'Apple A14 Bionic', screen: '10.9in', color: 'Yellow', connectivity: 'Wi-Fi' },
      variants: [['64GB Wi-Fi', 529_000, { storage: '64GB' }]],
    },
    {
      brand: 'Apple',
      model: 'iPad mini A17 Pro',
      description: 'An 8.3-inch iPad mini with the A17 Pro chip and Apple Pencil Pro support.',
      specs: { chip: 'Apple A17 Pro', screen: '8.3in', color: 'Starlight', connectivity: 'Wi-Fi' },
      variants: [
        ['128GB Wi-Fi', 749_000, { storage: '128GB' }],
        ['256GB Wi-Fi', 899_000, { storage: '256GB' }],
      ],
    },
    {
      brand: 'Samsung',
      model: 'Galaxy Tab S10 Ultra',
      description: 'A 14.6-inch Dynamic AMOLED 2X tablet with S Pen included and an IP68 rating.',
      specs: {
        chip: 'MediaTek Dimensity 9300+',
        screen: '14.6in',
        color: 'Moonstone Gray',
        connectivity: 'Wi-Fi',
      },
      variants: [
        ['256GB Wi-Fi', 1_740_000, { storage: '256GB' }],
        ['512GB Wi-Fi', 1_894_000, { storage: '512GB' }],
      ],
    },
    {
      brand: 'Samsung',
      model: 'Galaxy Tab S10+',
      description: 'A 12.4-inch AMOLED tablet with Galaxy AI note-taking and an S Pen in the box.',
      specs: {
        chip: 'MediaTek Dimensity 9300+',
        screen: '12.4in',
        color: 'Platinum Silver',
        connectivity: 'Wi-Fi',
      },
      variants: [['256GB Wi-Fi', 1_399_200, { storage: '256GB' }]],
    },
    {
      brand: 'Samsung',
      model: 'Galaxy Tab S9 FE',
      description: 'A 10.9-inch water-resistant tablet with S Pen for students and note-takers.',
      specs: { chip: 'Exynos 1380', screen: '10.9in', color: 'Mint', connectivity: 'Wi-Fi' },
      variants: [['128GB Wi-Fi', 599_500, { storage: '128GB' }]],
    },
    {
      brand: 'Samsung',
      model: 'Galaxy Tab A9+',
      description: 'An 11-inch 90Hz entertainment tablet with quad speakers.',
      specs: { chip: 'Snapdragon 695', screen: '11in', color: 'Graphite', connectivity: 'Wi-Fi' },
      variants: [['64GB Wi-Fi', 369_600, { storage: '64GB' }]],
    },
    {
      brand: 'Lenovo',
      model: 'Tab P12',
      description: 'A 12.7-inch 3K tablet with JBL speakers and an included Tab Pen Plus.',
      specs: {
        chip: 'MediaTek Dimensity 7050',
        screen: '12.7in',
        color: 'Storm Grey',
        connectivity: 'Wi-Fi',
      },
      variants: [['128GB Wi-Fi', 499_000, { storage: '128GB' }]],
    },
    {
      brand: 'Microsoft',
      model: 'Surface Pro 11th Edition',
      description:
        'A Copilot+ 2-in-1 with Snapdragon X Elite and a 13-inch OLED option; keyboard sold separately.',
      specs: { chip: 'Snapdragon X Elite', screen: '13in', color: 'Platinum', connectivity: 'Wi-Fi' },
      variants: [['16GB/512GB OLED', 2_099_000, { storage: '512GB' }]],
    },
  ]),
  ...lines('gaming-monitors', [
    {
      brand: 'LG',
      model: 'UltraGear 27GP850',
      description: 'A 27-inch QHD Nano IPS gaming monitor with 1ms response and up to 180Hz overclocked.',
      specs: {
        screen: '27in',
        resolution: '2560x1440',
        refresh_rate: '180Hz',
        panel: 'Nano IPS',
        connectivity: 'HDMI, DisplayPort',
      },
      variants: [['', 499_000]],
    },
    {
      brand: 'LG',
      model: 'UltraGear 27GR95QE',
      description: 'A 27-inch 240Hz OLED with 0.03ms response and an anti-glare low-reflection coating.',
      specs: {
        screen: '27in',
        resolution: '2560x1440',
        refresh_rate: '240Hz',
        panel: 'OLED',
        connectivity: 'HDMI, DisplayPort',
      },
      variants: [['', 1_190_000]],
    },
    {
      brand: 'LG',
      model: 'UltraGear 32GS95UE',
      description: 'A dual-mode 32-inch OLED: 4K at 240Hz or FHD at 480Hz at the press of a button.',
      specs: {
        screen: '32in',
        resolution: '3840x2160',
        refresh_rate: '240Hz',
        panel: 'OLED',
        connectivity: 'HDMI 2.1, DisplayPort 1.4',
      },
      variants: [['', 1_690_000]],
    },
    {
      brand: 'LG',
      model: 'UltraGear 45GR95QE',
      description: 'A 45-inch 800R curved ultrawide OLED at 240Hz for immersive racing and flight sims.',
      specs: {
        screen: '45in',
        resolution: '3440x1440',
        refresh_rate: '240Hz',
        panel: 'OLED',
        connectivity: 'HDMI 2.1, DisplayPort 1.4',
      },
      variants: [['', 1_990_000]],
    },
    {
      brand: 'Samsung',
      model: 'Odyssey G7 S32BG700',
      description: 'A 32-inch 4K 144Hz IPS gaming monitor with Smart TV apps built in.',
      specs: {
        screen: '32in',
        resolution: '3840x2160',
        refresh_rate: '144Hz',
        panel: 'IPS',
        connectivity: 'HDMI 2.1, DisplayPort',
      },
      variants: [['', 799_000]],
    },
    {
      brand: 'Samsung',
      model: 'Odyssey OLED G8 S34DG850',
      description: 'A 34-inch curved QD-OLED ultrawide at 175Hz with a slim metal design.',
      specs: {
        screen: '34in',
        resolution: '3440x1440',
        refresh_rate: '175Hz',
        panel: 'QD-OLED',
        connectivity: 'HDMI, DisplayPort, USB-C',
      },
      variants: [['', 1_390_000]],
    },
    {
      brand: 'Samsung',
      model: 'Odyssey Neo G9 S57CG952',
      description: 'A 57-inch dual-UHD Mini LED super-ultrawide with DisplayPort 2.1 and 240Hz.',
      specs: {
        screen: '57in',
        resolution: '7680x2160',
        refresh_rate: '240Hz',
        panel: 'VA Mini LED',
        connectivity: 'HDMI 2.1, DisplayPort 2.1',
      },
      variants: [['', 2_990_000]],
    },
    {
      brand: 'Samsung',
      model: 'Odyssey G5 S27CG550',
      description: 'A 27-inch 1000R curved QHD gaming monitor at 165Hz.',
      specs: {
        screen: '27in',
        resolution: '2560x1440',
        refresh_rate: '165Hz',
        panel: 'VA',
        connectivity: 'HDMI, DisplayPort',
      },
      variants: [['', 329_000]],
    },
    {
      brand: 'ASUS',
      model: 'ROG Swift PG27AQDM',
      description: 'A 27-inch 240Hz OLED with a custom heatsink to reduce burn-in risk.',
      specs: {
        screen: '27in',
        resolution: '2560x1440',
        refresh_rate: '240Hz',
        panel: 'OLED',
        connectivity: 'HDMI 2.0, DisplayPort 1.4',
      },
      variants: [['', 1_290_000]],
    },
    {
      brand: 'ASUS',
      model: 'TUF Gaming VG27AQ',
      description: 'A 27-inch QHD IPS gaming monitor at 165Hz with ELMB Sync.',
      specs: {
        screen: '27in',
        resolution: '2560x1440',
        refresh_rate: '165Hz',
        panel: 'IPS',
        connectivity: 'HDMI, DisplayPort',
      },
      variants: [['', 379_000]],
    },
    {
      brand: 'Dell',
      model: 'Alienware AW3423DWF',
      description: 'A 34-inch QD-OLED curved ultrawide at 165Hz with VESA DisplayHDR True Black 400.',
      specs: {
        screen: '34in',
        resolution: '3440x1440',
        refresh_rate: '165Hz',
        panel: 'QD-OLED',
        connectivity: 'HDMI, DisplayPort',
      },
      variants: [['', 1_290_000]],
    },
    {
      brand: 'MSI',
      model: 'MAG 274QRF-QD',
      description: 'A 27-inch Rapid IPS monitor with Quantum Dot colour and 165Hz.',
      specs: {
        screen: '27in',
        resolution: '2560x1440',
        refresh_rate: '165Hz',
        panel: 'Rapid IPS',
        connectivity: 'HDMI, DisplayPort, USB-C',
      },
      variants: [['', 429_000]],
    },
    {
      brand: 'BenQ',
      model: 'ZOWIE XL2546K',
      description: 'A 24.5-inch 240Hz esports monitor with DyAc+ motion clarity and shielding hoods.',
      specs: {
        screen: '24.5in',
        resolution: '1920x1080',
        refresh_rate: '240Hz',
        panel: 'TN',
        connectivity: 'HDMI, DisplayPort',
      },
      variants: [['', 659_000]],
    },
  ]),
  ...lines('professional-monitors', [
    {
      brand: 'Dell',
      model: 'UltraSharp U2724D',
      description: 'A 27-inch QHD IPS Black monitor at 120Hz with ComfortView Plus.',
      specs: {
        screen: '27in',
        resolution: '2560x1440',
        refresh_rate: '120Hz',
        panel: 'IPS Black',
        connectivity: 'HDMI, DisplayPort',
      },
      variants: [['', 629_000]],
    },
    {
      brand: 'Dell',
      model: 'UltraSharp U3224KB',
      description: 'A 32-inch 6K monitor with a 4K webcam and Thunderbolt 4 hub.',
      specs: {
        screen: '32in',
        resolution: '6144x3456',
        refresh_rate: '60Hz',
        panel: 'IPS Black',
        connectivity: 'Thunderbolt 4, HDMI, DisplayPort',
      },
      variants: [['', 3_290_000]],
    },
    {
      brand: 'Dell',
      model: 'P2723QE',
      description: 'A 27-inch 4K USB-C hub monitor with 90W power delivery and RJ45.',
      specs: {
        screen: '27in',
        resolution: '3840x2160',
        refresh_rate: '60Hz',
        panel: 'IPS',
        connectivity: 'USB-C 90W, HDMI, DisplayPort',
      },
      variants: [['', 549_000]],
    },
    {
      brand: 'LG',
      model: '27UP850N',
      description: 'A 27-inch 4K IPS monitor with DCI-P3 95% and USB-C charging.',
      specs: {
        screen: '27in',
        resolution: '3840x2160',
        refresh_rate: '60Hz',
        panel: 'IPS',
        connectivity: 'USB-C 96W, HDMI, DisplayPort',
      },
      variants: [['', 499_000]],
    },
    {
      brand: 'LG',
      model: 'Ergo 32UN880',
      description: 'A 32-inch 4K monitor on a clamp-mounted arm that extends, swivels and pivots.',
      specs: {
        screen: '32in',
        resolution: '3840x2160',
        refresh_rate: '60Hz',
        panel: 'IPS',
        connectivity: 'USB-C 60W, HDMI, DisplayPort',
      },
      variants: [['', 699_000]],
    },
    {
      brand: 'Samsung',
      model: 'ViewFinity S9 S27C900',
      description: 'A 27-inch 5K matte display with a detachable 4K camera and Thunderbolt 4.',
      specs: {
        screen: '27in',
        resolution: '5120x2880',
        refresh_rate: '60Hz',
        panel: 'IPS',
        connectivity: 'Thunderbolt 4, DisplayPort',
      },
      variants: [['', 1_790_000]],
    },
    {
      brand: 'Samsung',
      model: 'ViewFinity S8 S27B800',
      description: 'A 27-inch 4K UHD monitor with HDR10 and an ergonomic height-adjustable stand.',
      specs: {
        screen: '27in',
        resolution: '3840x2160',
        refresh_rate: '60Hz',
        panel: 'IPS',
        connectivity: 'USB-C 90W, HDMI, DisplayPort',
      },
      variants: [['', 449_000]],
    },
    {
      brand: 'Samsung',
      model: 'Smart Monitor M8 S32CM801',
      description: 'A 32-inch 4K smart monitor with streaming apps, a SlimFit camera and SmartThings hub.',
      specs: {
        screen: '32in',
        resolution: '3840x2160',
        refresh_rate: '60Hz',
        panel: 'VA',
        connectivity: 'USB-C 65W, HDMI',
      },
      variants: [['', 799_000]],
    },
    {
      brand: 'Apple',
      model: 'Studio Display',
      description: 'A 27-inch 5K Retina display with a 12MP Center Stage camera and six-speaker sound.',
      specs: {
        screen: '27in',
        resolution: '5120x2880',
        refresh_rate: '60Hz',
        panel: 'IPS',
        connectivity: 'Thunderbolt 3',
      },
      variants: [
        ['Tilt-Adjustable Stand', 2_090_000],
        ['Height-Adjustable Stand', 2_690_000],
        ['Nano-Texture Glass', 2_590_000],
      ],
    },
    {
      brand: 'BenQ',
      model: 'PD2705U',
      description: 'A 27-inch 4K designer monitor with AQCOLOR calibration and a KVM switch.',
      specs: {
        screen: '27in',
        resolution: '3840x2160',
        refresh_rate: '60Hz',
        panel: 'IPS',
        connectivity: 'USB-C 65W, HDMI, DisplayPort',
      },
      variants: [['', 549_000]],
    },
    {
      brand: 'ASUS',
      model: 'ProArt PA278CV',
      description: 'A 27-inch QHD monitor, factory calibrated to Delta E < 2 with a USB-C 65W port.',
      specs: {
        screen: '27in',
        resolution: '2560x1440',
        refresh_rate: '75Hz',
        panel: 'IPS',
        connectivity: 'USB-C 65W, HDMI, DisplayPort',
      },
      variants: [['', 449_000]],
    },
  ]),
  ...lines('headphones', [
    {
      brand: 'Sony',
      model: 'WH-1000XM5',
      description: 'Industry-leading noise cancelling with eight microphones and up to 30 hours of playback.',
      specs: { connectivity: 'Bluetooth 5.2', battery: '30h', noise_cancelling: 'yes' },
      variants: [
        ['Black', 449_000, { color: 'Black' }],
        ['Silver', 449_000, { color: 'Silver' }],
        ['Midnight Blue', 449_000, { color: 'Midnight Blue' }],
      ],
    },
    {
      brand: 'Sony',
      model: 'WH-1000XM4',
      description:
        'Dual Noise Sensor technology, speak-to-chat and 30 hours of battery in a foldable design.',
      specs: { connectivity: 'Bluetooth 5.0', battery: '30h', noise_cancelling: 'yes' },
      variants: [
        ['Black', 339_000, { color: 'Black' }],
        ['Silver', 339_000, { color: 'Silver' }],
      ],
    },
    {
      brand: 'Sony',
      model: 'ULT WEAR WH-ULT900N',
      description: 'Bass-heavy noise-cancelling headphones with the ULT button for deep low end.',
      specs: { connectivity: 'Bluetooth 5.2', battery: '30h', noise_cancelling: 'yes', color: 'Forest Gray' },
      variants: [['', 249_000]],
    },
    {
      brand: 'Apple',
      model: 'AirPods Max USB-C',
      description:
        'Over-ear headphones with computational audio, Active Noise Cancellation and personalised Spatial Audio.',
      specs: { connectivity: 'Bluetooth 5.0', battery: '20h', noise_cancelling: 'yes' },
      variants: [
        ['Midnight', 769_000, { color: 'Midnight' }],
        ['Starlight', 769_000, { color: 'Starlight' }],
        ['Blue', 769_000, { color: 'Blue' }],
      ],
    },
    {
      brand: 'Bose',
      model: 'QuietComfort Ultra Headphones',
      description: 'World-class noise cancellation with Bose Immersive Audio and CustomTune calibration.',
      specs: { connectivity: 'Bluetooth 5.3', battery: '24h', noise_cancelling: 'yes' },
      variants: [
        ['Black', 549_000, { color: 'Black' }],
        ['White Smoke', 549_000, { color: 'White Smoke' }],
      ],
    },
    {
      brand: 'Bose',
      model: 'QuietComfort Headphones',
      description: 'The classic QuietComfort fit with adjustable noise cancelling and 24 hours of battery.',
      specs: { connectivity: 'Bluetooth 5.1', battery: '24h', noise_cancelling: 'yes', color: 'Black' },
      variants: [['', 429_000]],
    },
    {
      brand: 'Sennheiser',
      model: 'Momentum 4 Wireless',
      description: 'Audiophile sound with adaptive noise cancellation and a class-leading 60-hour battery.',
      specs: { connectivity: 'Bluetooth 5.2', battery: '60h', noise_cancelling: 'yes', color: 'Black' },
      variants: [['', 449_000]],
    },
    {
      brand: 'Sennheiser',
      model: 'HD 660S2',
      description: 'Open-back wired reference headphones with deeper sub-bass for home listening.',
      specs: { connectivity: '6.3mm / 4.4mm wired', battery: 'none', noise_cancelling: 'no', color: 'Black' },
      variants: [['', 749_000]],
    },
    {
      brand: 'Beats',
      model: 'Studio Pro',
      description:
        'Wireless noise-cancelling headphones with lossless audio over USB-C and iOS/Android one-touch pairing.',
      specs: { connectivity: 'Bluetooth 5.3', battery: '40h', noise_cancelling: 'yes', color: 'Deep Brown' },
      variants: [['', 449_000]],
    },
    {
      brand: 'Audio-Technica',
      model: 'ATH-M50x',
      description:
        'The studio monitoring headphones found in recording studios worldwide; detachable cables.',
      specs: { connectivity: '3.5mm wired', battery: 'none', noise_cancelling: 'no', color: 'Black' },
      variants: [['', 219_000]],
    },
    {
      brand: 'JBL',
      model: 'Tour One M2',
      description: 'True adaptive noise cancelling and JBL Spatial Sound with 50 hours of playback.',
      specs: { connectivity: 'Bluetooth 5.3', battery: '50h', noise_cancelling: 'yes', color: 'Black' },
      variants: [['', 399_000]],
    },
    {
      brand: 'Marshall',
      model: 'Major V',
      description: 'Iconic on-ear headphones with over 100 hours of wireless playtime and wireless charging.',
      specs: { connectivity: 'Bluetooth 5.3', battery: '100h', noise_cancelling: 'no', color: 'Black' },
      variants: [['', 199_000]],
    },
  ]),
  ...lines('earbuds', [
    {
      brand: 'Apple',
      model: 'AirPods Pro 2 USB-C',
      description: 'Up to 2x more Active Noise Cancellation, Adaptive Audio and a USB-C MagSafe case.',
      specs: {
        connectivity: 'Bluetooth 5.3',
        battery: '6h (30h with case)',
        noise_cancelling: 'yes',
        color: 'White',
      },
      variants: [['', 359_000]],
    },
    {
      brand: 'Apple',
      model: 'AirPods 4',
      description: 'An open-ear AirPods design with the H2 chip and a smaller USB-C case.',
      specs: { connectivity: 'Bluetooth 5.3', battery: '5h (30h with case)', color: 'White' },
      variants: [
        ['', 199_000, { noise_cancelling: 'no' }],
        ['with Active Noise Cancellation', 269_000, { noise_cancelling: 'yes' }],
      ],
    },
    {
      brand: 'Samsung',
      model: 'Galaxy Buds3 Pro',
      description: 'Blade-design earbuds with adaptive ANC, 24-bit Hi-Fi audio and Galaxy AI interpreter.',
      specs: { connectivity: 'Bluetooth 5.4', battery: '6h (26h with case)', noise_cancelling: 'yes' },
      variants: [
        ['Silver', 319_000, { color: 'Silver' }],
        ['White', 319_000, { color: 'White' }],
      ],
    },
    {
      brand: 'Samsung',
      model: 'Galaxy Buds3',
      description: 'Open-type earbuds with ANC and a blade light design.',
      specs: { connectivity: 'Bluetooth 5.4', battery: '5h (24h with case)', noise_cancelling: 'yes' },
      variants: [
        ['Silver', 219_000, { color: 'Silver' }],
        ['White', 219_000, { color: 'White' }],
      ],
    },
    {
      brand: 'Samsung',
      model: 'Galaxy Buds FE',
      description: 'Affordable Galaxy earbuds with ANC, a wing tip for secure fit and a 21-hour case.',
      specs: {
        connectivity: 'Bluetooth 5.2',
        battery: '6h (21h with case)',
        noise_cancelling: 'yes',
        color: 'Graphite',
      },
      variants: [['', 109_000]],
    },
    {
      brand: 'Sony',
      model: 'WF-1000XM5',
      description:
        'The smallest and lightest Sony flagship earbuds with Dynamic Driver X and best-in-class ANC.',
      specs: { connectivity: 'Bluetooth 5.3', battery: '8h (24h with case)', noise_cancelling: 'yes' },
      variants: [
        ['Black', 359_000, { color: 'Black' }],
        ['Platinum Silver', 359_000, { color: 'Platinum Silver' }],
      ],
    },
    {
      brand: 'Bose',
      model: 'QuietComfort Ultra Earbuds',
      description: 'Bose noise cancelling in earbuds with Immersive Audio and CustomTune.',
      specs: {
        connectivity: 'Bluetooth 5.3',
        battery: '6h (24h with case)',
        noise_cancelling: 'yes',
        color: 'Black',
      },
      variants: [['', 359_000]],
    },
    {
      brand: 'Sennheiser',
      model: 'Momentum True Wireless 4',
      description: 'Audiophile true wireless earbuds with aptX Lossless and Auracast support.',
      specs: {
        connectivity: 'Bluetooth 5.4',
        battery: '7.5h (30h with case)',
        noise_cancelling: 'yes',
        color: 'Black Graphite',
      },
      variants: [['', 399_000]],
    },
    {
      brand: 'Nothing',
      model: 'Ear',
      description: 'Transparent earbuds with ChatGPT integration, LHDC 5.0 and a personalised sound profile.',
      specs: {
        connectivity: 'Bluetooth 5.3',
        battery: '8.5h (40h with case)',
        noise_cancelling: 'yes',
        color: 'White',
      },
      variants: [['', 199_000]],
    },
    {
      brand: 'Beats',
      model: 'Fit Pro',
      description: 'Secure-fit wingtip earbuds with ANC and Apple H1 chip for sport.',
      specs: {
        connectivity: 'Bluetooth Class 1',
        battery: '6h (24h with case)',
        noise_cancelling: 'yes',
        color: 'Stone Purple',
      },
      variants: [['', 249_000]],
    },
  ]),
  ...lines('speakers', [
    {
      brand: 'Sonos',
      model: 'Era 100',
      description: 'A compact smart speaker with stereo sound, Trueplay tuning and Bluetooth line-in.',
      specs: { connectivity: 'Wi-Fi, Bluetooth 5.0', battery: 'none (mains)', waterproof: 'no' },
      variants: [
        ['Black', 449_000, { color: 'Black' }],
        ['White', 449_000, { color: 'White' }],
      ],
    },
    {
      brand: 'Sonos',
      model: 'Era 300',
      description: 'A spatial audio speaker with six drivers for Dolby Atmos music.',
      specs: {
        connectivity: 'Wi-Fi, Bluetooth 5.0',
        battery: 'none (mains)',
        waterproof: 'no',
        color: 'Black',
      },
      variants: [['', 749_000]],
    },
    {
      brand: 'Sonos',
      model: 'Beam Gen 2',
      description: 'A compact Dolby Atmos soundbar for TVs with eARC and voice control.',
      specs: { connectivity: 'Wi-Fi, HDMI eARC', battery: 'none (mains)', waterproof: 'no', color: 'Black' },
      variants: [['', 699_000]],
    },
    {
      brand: 'Sonos',
      model: 'Arc Ultra',
      description: 'A premium 9.1.4 Dolby Atmos soundbar with Sound Motion bass technology.',
      specs: {
        connectivity: 'Wi-Fi, Bluetooth 5.3, HDMI eARC',
        battery: 'none (mains)',
        waterproof: 'no',
        color: 'Black',
      },
      variants: [['', 1_599_000]],
    },
    {
      brand: 'JBL',
      model: 'Charge 5',
      description: 'A rugged portable Bluetooth speaker with 20 hours of playtime and a built-in power bank.',
      specs: { connectivity: 'Bluetooth 5.1', battery: '20h', waterproof: 'IP67' },
      variants: [
        ['Black', 199_000, { color: 'Black' }],
        ['Blue', 199_000, { color: 'Blue' }],
        ['Red', 199_000, { color: 'Red' }],
      ],
    },
    {
      brand: 'JBL',
      model: 'Flip 6',
      description: 'Bold JBL Pro Sound in a portable, waterproof and dustproof speaker.',
      specs: { connectivity: 'Bluetooth 5.1', battery: '12h', waterproof: 'IP67' },
      variants: [
        ['Black', 149_000, { color: 'Black' }],
        ['Teal', 149_000, { color: 'Teal' }],
      ],
    },
    {
      brand: 'JBL',
      model: 'PartyBox 110',
      description: 'A 160W party speaker with a light show, mic and guitar inputs.',
      specs: { connectivity: 'Bluetooth 5.1', battery: '12h', waterproof: 'IPX4', color: 'Black' },
      variants: [['', 599_000]],
    },
    {
      brand: 'Bose',
      model: 'SoundLink Max',
      description: 'Bose portable speaker with a removable rope handle, 20 hours of battery and IP67.',
      specs: { connectivity: 'Bluetooth 5.3', battery: '20h', waterproof: 'IP67', color: 'Black' },
      variants: [['', 549_000]],
    },
    {
      brand: 'Bose',
      model: 'SoundLink Flex',
      description: 'A floating, drop-resistant speaker with PositionIQ that adapts to its orientation.',
      specs: { connectivity: 'Bluetooth 5.3', battery: '12h', waterproof: 'IP67', color: 'Blue Dusk' },
      variants: [['', 219_000]],
    },
    {
      brand: 'Marshall',
      model: 'Stanmore III',
      description: 'A home speaker with Marshall signature sound, wide stereo and analogue controls.',
      specs: { connectivity: 'Bluetooth 5.2', battery: 'none (mains)', waterproof: 'no', color: 'Black' },
      variants: [['', 599_000]],
    },
    {
      brand: 'Marshall',
      model: 'Emberton II',
      description: 'A compact portable speaker with 360-degree sound and 30+ hours of playtime.',
      specs: { connectivity: 'Bluetooth 5.1', battery: '30h', waterproof: 'IP67', color: 'Black and Brass' },
      variants: [['', 229_000]],
    },
    {
      brand: 'Samsung',
      model: 'HW-Q990D',
      description: 'An 11.1.4-channel Dolby Atmos soundbar with a wireless subwoofer and rear speakers.',
      specs: {
        connectivity: 'Wi-Fi, Bluetooth, HDMI eARC',
        battery: 'none (mains)',
        waterproof: 'no',
        color: 'Black',
      },
      variants: [['', 1_790_000]],
    },
    {
      brand: 'Ultimate Ears',
      model: 'BOOM 4',
      description: 'A floating 360-degree speaker with USB-C charging and Outdoor Boost.',
      specs: { connectivity: 'Bluetooth', battery: '15h', waterproof: 'IP67', color: 'Active Black' },
      variants: [['', 229_000]],
    },
  ]),
  ...lines('mirrorless-cameras', [
    {
      brand: 'Sony',
      model: 'Alpha 7 IV',
      description: 'A 33MP full-frame hybrid with real-time Eye AF and 4K60 10-bit video.',
      specs: { sensor: 'Full-frame', resolution: '33MP', video: '4K60', mount: 'Sony E' },
      variants: [
        ['Body', 3_290_000],
        ['with FE 28-70mm Kit', 3_590_000],
      ],
    },
    {
      brand: 'Sony',
      model: 'Alpha 7C II',
      description: 'A compact 33MP full-frame camera with AI-based subject recognition.',
      specs: { sensor: 'Full-frame', resolution: '33MP', video: '4K60', mount: 'Sony E' },
      variants: [['Body', 2_790_000]],
    },
    {
      brand: 'Sony',
      model: 'ZV-E10 II',
      description: 'An APS-C vlogging camera with a flip screen and Cinematic Vlog settings.',
      specs: { sensor: 'APS-C', resolution: '26MP', video: '4K60', mount: 'Sony E' },
      variants: [['with 16-50mm Kit', 1_390_000]],
    },
    {
      brand: 'Sony',
      model: 'Alpha 6700',
      description: 'An APS-C flagship with in-body stabilisation and an AI processing unit.',
      specs: { sensor: 'APS-C', resolution: '26MP', video: '4K120', mount: 'Sony E' },
      variants: [['Body', 1_890_000]],
    },
    {
      brand: 'Canon',
      model: 'EOS R6 Mark II',
      description: 'A 24.2MP full-frame camera with 40fps electronic shutter and 6K oversampled 4K.',
      specs: { sensor: 'Full-frame', resolution: '24.2MP', video: '4K60', mount: 'Canon RF' },
      variants: [
        ['Body', 3_290_000],
        ['with RF 24-105mm F4-7.1 Kit', 3_790_000],
      ],
    },
    {
      brand: 'Canon',
      model: 'EOS R8',
      description: 'The lightest full-frame EOS R body with the R6 Mark II sensor.',
      specs: { sensor: 'Full-frame', resolution: '24.2MP', video: '4K60', mount: 'Canon RF' },
      variants: [['Body', 2_090_000]],
    },
    {
      brand: 'Canon',
      model: 'EOS R50',
      description: 'A small APS-C camera for creators with auto scene detection and uncropped 4K.',
      specs: { sensor: 'APS-C', resolution: '24.2MP', video: '4K30', mount: 'Canon RF' },
      variants: [['with RF-S 18-45mm Kit', 1_090_000]],
    },
    {
      brand: 'Nikon',
      model: 'Z6III',
      description: 'A partially stacked 24.5MP sensor with 6K RAW video and a bright 5.76M-dot EVF.',
      specs: { sensor: 'Full-frame', resolution: '24.5MP', video: '6K60 RAW', mount: 'Nikon Z' },
      variants: [['Body', 3_590_000]],
    },
    {
      brand: 'Nikon',
      model: 'Zf',
      description: 'Heritage dials over a 24.5MP full-frame sensor with pixel-shift shooting.',
      specs: { sensor: 'Full-frame', resolution: '24.5MP', video: '4K30', mount: 'Nikon Z' },
      variants: [['Body', 2_990_000]],
    },
    {
      brand: 'Nikon',
      model: 'Z fc',
      description: 'A retro-styled APS-C camera with a vari-angle screen.',
      specs: { sensor: 'APS-C', resolution: '20.9MP', video: '4K30', mount: 'Nikon Z' },
      variants: [['with 16-50mm Kit', 1_290_000]],
    },
    {
      brand: 'Fujifilm',
      model: 'X-T5',
      description: 'A 40MP APS-C camera with classic dials, 7-stop IBIS and 19 film simulations.',
      specs: { sensor: 'APS-C', resolution: '40.2MP', video: '6.2K30', mount: 'Fujifilm X' },
      variants: [
        ['Body Silver', 2_390_000],
        ['Body Black', 2_390_000],
      ],
    },
    {
      brand: 'Fujifilm',
      model: 'X100VI',
      description: 'A fixed-lens 40MP compact with in-body stabilisation and a hybrid viewfinder.',
      specs: { sensor: 'APS-C', resolution: '40.2MP', video: '6.2K30', mount: 'Fixed 23mm F2' },
      variants: [['', 2_290_000]],
    },
    {
      brand: 'Fujifilm',
      model: 'X-S20',
      description: 'A compact APS-C body with a deep grip, vlog mode and a 750-shot battery.',
      specs: { sensor: 'APS-C', resolution: '26.1MP', video: '6.2K30', mount: 'Fujifilm X' },
      variants: [['Body', 1_790_000]],
    },
    {
      brand: 'Panasonic',
      model: 'LUMIX S5II',
      description: 'A full-frame hybrid with phase-detect AF and unlimited 4K recording.',
      specs: { sensor: 'Full-frame', resolution: '24.2MP', video: '6K30', mount: 'L-Mount' },
      variants: [['Body', 2_490_000]],
    },
  ]),
  ...lines('action-cameras', [
    {
      brand: 'GoPro',
      model: 'HERO13 Black',
      description: '5.3K60 video, HyperSmooth 6.0 and interchangeable HB-series lenses.',
      specs: { sensor: '1/1.9in', resolution: '27MP', video: '5.3K60', waterproof: '10m' },
      variants: [['', 599_000]],
    },
    {
      brand: 'GoPro',
      model: 'HERO12 Black',
      description: 'A rugged action camera with 8:7 capture, HDR video and 10-bit colour.',
      specs: { sensor: '1/1.9in', resolution: '27MP', video: '5.3K60', waterproof: '10m' },
      variants: [['', 499_000]],
    },
    {
      brand: 'DJI',
      model: 'Osmo Action 5 Pro',
      description: 'A 1/1.3-inch sensor action camera with 4-hour battery and 20m waterproofing.',
      specs: { sensor: '1/1.3in', resolution: '40MP', video: '4K120', waterproof: '20m' },
      variants: [['Standard Combo', 519_000]],
    },
    {
      brand: 'DJI',
      model: 'Osmo Pocket 3',
      description: 'A 1-inch CMOS gimbal camera with a rotating 2-inch OLED touchscreen.',
      specs: { sensor: '1in', resolution: '9.4MP', video: '4K120', waterproof: 'no' },
      variants: [
        ['', 699_000],
        ['Creator Combo', 899_000],
      ],
    },
    {
      brand: 'Insta360',
      model: 'X4',
      description: 'An 8K 360-degree camera with invisible selfie stick effect and 135-minute battery.',
      specs: { sensor: '1/2in x2', resolution: '72MP', video: '8K30 360', waterproof: '10m' },
      variants: [['', 699_000]],
    },
    {
      brand: 'Insta360',
      model: 'Ace Pro 2',
      description: 'An 8K action camera co-engineered with Leica and a flip screen.',
      specs: { sensor: '1/1.3in', resolution: '50MP', video: '8K30', waterproof: '12m' },
      variants: [['', 579_000]],
    },
  ]),
  ...lines('tvs', [
    {
      brand: 'LG',
      model: 'OLED evo C4',
      description: 'A 4K OLED evo TV with the α9 AI Processor Gen7 and 144Hz for gaming.',
      specs: { resolution: '4K', panel: 'OLED', refresh_rate: '144Hz' },
      variants: [
        ['55in OLED55C4KNA', 2_590_000, { screen: '55in' }],
        ['65in OLED65C4KNA', 3_490_000, { screen: '65in' }],
        ['77in OLED77C4KNA', 5_290_000, { screen: '77in' }],
        ['83in OLED83C4KNA', 7_490_000, { screen: '83in' }],
      ],
    },
    {
      brand: 'LG',
      model: 'OLED evo G4',
      description: 'A gallery-design OLED with Brightness Booster Max and a flush wall mount.',
      specs: { resolution: '4K', panel: 'OLED', refresh_rate: '144Hz' },
      variants: [
        ['65in OLED65G4KNA', 4_990_000, { screen: '65in' }],
        ['77in OLED77G4KNA', 7_290_000, { screen: '77in' }],
      ],
    },
    {
      brand: 'LG',
      model: 'QNED85',
      description: 'A Quantum Dot NanoCell TV with local dimming and webOS.',
      specs: { resolution: '4K', panel: 'QNED', refresh_rate: '120Hz' },
      variants: [
        ['65in 65QNED85TKA', 1_990_000, { screen: '65in' }],
        ['75in 75QNED85TKA', 2_690_000, { screen: '75in' }],
      ],
    },
    {
      brand: 'Samsung',
      model: 'Neo QLED 4K QN90D',
      description: 'A Mini LED 4K TV with the NQ4 AI Gen2 processor and an anti-glare screen.',
      specs: { resolution: '4K', panel: 'Neo QLED', refresh_rate: '144Hz' },
      variants: [
        ['65in KQ65QND90AFXKR', 3_290_000, { screen: '65in' }],
        ['75in KQ75QND90AFXKR', 4_290_000, { screen: '75in' }],
      ],
    },
    {
      brand: 'Samsung',
      model: 'OLED S90D',
      description: 'A Samsung OLED with OLED Glare Free and Dolby Atmos Object Tracking Sound.',
      specs: { resolution: '4K', panel: 'OLED', refresh_rate: '144Hz' },
      variants: [
        ['55in KQ55SD90AEXKR', 2_390_000, { screen: '55in' }],
        ['65in KQ65SD90AEXKR', 3_290_000, { screen: '65in' }],
      ],
    },
    {
      brand: 'Samsung',
      model: 'Neo QLED 8K QN900D',
      description: 'An 8K Mini LED TV with the NQ8 AI Gen3 processor and Infinity One design.',
      specs: { resolution: '8K', panel: 'Neo QLED', refresh_rate: '240Hz' },
      variants: [['75in KQ75QND900FXKR', 9_990_000, { screen: '75in' }]],
    },
    {
      brand: 'Samsung',
      model: 'The Frame LS03D',
      description: 'A lifestyle QLED TV that shows art when off, with a matte anti-reflection display.',
      specs: { resolution: '4K', panel: 'QLED', refresh_rate: '120Hz' },
      variants: [
        ['55in KQ55LSD03AFXKR', 1_990_000, { screen: '55in' }],
        ['65in KQ65LSD03AFXKR', 2_590_000, { screen: '65in' }],
      ],
    },
    {
      brand: 'Samsung',
      model: 'Crystal UHD DU8000',
      description: 'A slim 4K Crystal UHD TV with Tizen OS and Object Tracking Sound Lite.',
      specs: { resolution: '4K', panel: 'LED', refresh_rate: '60Hz' },
      variants: [
        ['65in KU65UD8000FXKR', 1_190_000, { screen: '65in' }],
        ['75in KU75UD8000FXKR', 1_690_000, { screen: '75in' }],
      ],
    },
    {
      brand: 'Sony',
      model: 'BRAVIA 8',
      description: 'A Sony OLED with the Cognitive Processor XR and Acoustic Surface Audio+.',
      specs: { resolution: '4K', panel: 'OLED', refresh_rate: '120Hz' },
      variants: [['65in K-65XR80', 3_590_000, { screen: '65in' }]],
    },
    {
      brand: 'Sony',
      model: 'BRAVIA 9',
      description: 'The brightest Sony 4K TV with XR Backlight Master Drive Mini LED.',
      specs: { resolution: '4K', panel: 'Mini LED', refresh_rate: '120Hz' },
      variants: [['75in K-75XR90', 6_990_000, { screen: '75in' }]],
    },
  ]),
  ...lines('smartwatches', [
    {
      brand: 'Apple',
      model: 'Watch Series 10',
      description: 'The thinnest Apple Watch with a wide-angle OLED display and sleep apnoea notifications.',
      specs: { battery: '18h', color: 'Jet Black' },
      variants: [
        ['42mm GPS', 599_000, { size: '42mm', connectivity: 'GPS' }],
        ['46mm GPS', 649_000, { size: '46mm', connectivity: 'GPS' }],
        ['46mm GPS + Cellular', 799_000, { size: '46mm', connectivity: 'GPS + LTE' }],
      ],
    },
    {
      brand: 'Apple',
      model: 'Watch Ultra 2',
      description: 'A 49mm titanium sports watch with precision dual-frequency GPS and 36-hour battery.',
      specs: { size: '49mm', connectivity: 'GPS + LTE', battery: '36h' },
      variants: [
        ['Natural Titanium', 1_149_000, { color: 'Natural Titanium' }],
        ['Black Titanium', 1_149_000, { color: 'Black Titanium' }],
      ],
    },
    {
      brand: 'Apple',
      model: 'Watch SE 2nd generation',
      description: 'Essential Apple Watch features including crash detection and fitness tracking.',
      specs: { connectivity: 'GPS', battery: '18h', color: 'Midnight' },
      variants: [
        ['40mm GPS', 329_000, { size: '40mm' }],
        ['44mm GPS', 369_000, { size: '44mm' }],
      ],
    },
    {
      brand: 'Samsung',
      model: 'Galaxy Watch7',
      description: 'A Wear OS watch with a BioActive sensor, Energy Score and dual-frequency GPS.',
      specs: { battery: '40h', color: 'Green' },
      variants: [
        ['40mm Bluetooth', 329_000, { size: '40mm', connectivity: 'Bluetooth' }],
        ['44mm Bluetooth', 359_000, { size: '44mm', connectivity: 'Bluetooth' }],
        ['44mm LTE', 409_000, { size: '44mm', connectivity: 'LTE' }],
      ],
    },
    {
      brand: 'Samsung',
      model: 'Galaxy Watch Ultra',
      description:
        'A 47mm titanium Galaxy Watch with 10ATM water resistance and up to 100 hours in power saving.',
      specs: { size: '47mm', connectivity: 'LTE', battery: '60h', color: 'Titanium Gray' },
      variants: [['', 899_000]],
    },
    {
      brand: 'Samsung',
      model: 'Galaxy Watch FE',
      description: 'An affordable Galaxy Watch with sleep coaching and body composition analysis.',
      specs: { size: '40mm', connectivity: 'Bluetooth', battery: '30h', color: 'Black' },
      variants: [['', 269_000]],
    },
    {
      brand: 'Garmin',
      model: 'fenix 8 AMOLED',
      description: 'A multisport GPS watch with a built-in speaker, dive rating and LED flashlight.',
      specs: { size: '47mm', connectivity: 'GPS, Bluetooth', battery: '16 days', color: 'Slate Gray' },
      variants: [['47mm', 1_390_000]],
    },
    {
      brand: 'Garmin',
      model: 'Forerunner 265',
      description: 'A running watch with AMOLED display, training readiness and race predictor.',
      specs: { size: '46mm', connectivity: 'GPS, Bluetooth', battery: '13 days', color: 'Black' },
      variants: [['', 599_000]],
    },
    {
      brand: 'Garmin',
      model: 'Venu 3',
      description: 'A fitness smartwatch with sleep coach, wheelchair mode and voice calls from the wrist.',
      specs: { size: '45mm', connectivity: 'GPS, Bluetooth', battery: '14 days', color: 'Slate' },
      variants: [['', 639_000]],
    },
    {
      brand: 'Google',
      model: 'Pixel Watch 3',
      description: 'A domed Actua display watch with Fitbit health tracking and Loss of Pulse detection.',
      specs: { size: '41mm', connectivity: 'Bluetooth, Wi-Fi', battery: '24h', color: 'Matte Black' },
      variants: [['41mm Wi-Fi', 459_000]],
    },
  ]),
  ...lines('fitness-trackers', [
    {
      brand: 'Samsung',
      model: 'Galaxy Fit3',
      description: 'A slim fitness band with a 1.6-inch AMOLED screen and 13 days of battery.',
      specs: { display: '1.6in AMOLED', connectivity: 'Bluetooth 5.3', battery: '13 days' },
      variants: [
        ['Gray', 69_000, { color: 'Gray' }],
        ['Silver', 69_000, { color: 'Silver' }],
        ['Pink Gold', 69_000, { color: 'Pink Gold' }],
      ],
    },
    {
      brand: 'Samsung',
      model: 'Galaxy Ring',
      description: 'A titanium smart ring that tracks sleep, heart rate and activity with no subscription.',
      specs: { display: 'none', connectivity: 'Bluetooth 5.4', battery: '7 days', color: 'Titanium Black' },
      variants: [
        ['Size 9', 499_000],
        ['Size 11', 499_000],
      ],
    },
    {
      brand: 'Xiaomi',
      model: 'Smart Band 9',
      description: 'A 1.62-inch AMOLED band with 21-day battery and 150+ sport modes.',
      specs: {
        display: '1.62in AMOLED',
        connectivity: 'Bluetooth 5.4',
        battery: '21 days',
        color: 'Midnight Black',
      },
      variants: [['', 49_000]],
    },
    {
      brand: 'Fitbit',
      model: 'Charge 6',
      description: 'A tracker with built-in GPS, Google Maps and YouTube Music controls.',
      specs: {
        display: '1.04in AMOLED',
        connectivity: 'Bluetooth, NFC',
        battery: '7 days',
        color: 'Obsidian',
      },
      variants: [['', 219_000]],
    },
    {
      brand: 'Garmin',
      model: 'vivosmart 5',
      description: 'A fitness tracker with Body Battery energy monitoring and a bright OLED screen.',
      specs: { display: '0.41in OLED', connectivity: 'Bluetooth', battery: '7 days', color: 'Black' },
      variants: [['', 199_000]],
    },
  ]),
  ...lines('consoles', [
    {
      brand: 'Sony',
      model: 'PlayStation 5 Slim',
      description: 'The slimmer PS5 with a 1TB SSD, DualSense controller and detachable disc drive option.',
      specs: { storage: '1TB', color: 'White' },
      variants: [
        ['Disc Edition', 688_000, { edition: 'Disc' }],
        ['Digital Edition', 588_000, { edition: 'Digital' }],
      ],
    },
    {
      brand: 'Sony',
      model: 'PlayStation 5 Pro',
      description: 'PS5 Pro with an upgraded GPU, PSSR upscaling and a 2TB SSD.',
      specs: { storage: '2TB', edition: 'Digital', color: 'White' },
      variants: [['', 1_118_000]],
    },
    {
      brand: 'Sony',
      model: 'PlayStation Portal',
      description: 'A remote player that streams PS5 games over Wi-Fi to an 8-inch LCD.',
      specs: { storage: 'none', edition: 'Remote Player', color: 'White' },
      variants: [['', 299_800]],
    },
    {
      brand: 'Nintendo',
      model: 'Switch 2',
      description:
        'The next Nintendo Switch with a 7.9-inch 1080p screen, magnetic Joy-Con 2 and 256GB storage.',
      specs: { storage: '256GB', edition: 'Hybrid', color: 'Black' },
      variants: [['', 648_000]],
    },
    {
      brand: 'Nintendo',
      model: 'Switch OLED Model',
      description: 'A Nintendo Switch with a vivid 7-inch OLED screen and wide adjustable stand.',
      specs: { storage: '64GB', edition: 'Hybrid' },
      variants: [
        ['White', 415_000, { color: 'White' }],
        ['Neon Blue/Neon Red', 415_000, { color: 'Neon Blue/Neon Red' }],
      ],
    },
    {
      brand: 'Nintendo',
      model: 'Switch Lite',
      description: 'A compact, handheld-only Switch.',
      specs: { storage: '32GB', edition: 'Handheld' },
      variants: [
        ['Turquoise', 249_800, { color: 'Turquoise' }],
        ['Coral', 249_800, { color: 'Coral' }],
      ],
    },
    {
      brand: 'Microsoft',
      model: 'Xbox Series X',
      description: 'The most powerful Xbox with 12 teraflops, 4K at up to 120fps and a 1TB SSD.',
      specs: { storage: '1TB', edition: 'Disc', color: 'Black' },
      variants: [['', 718_000]],
    },
    {
      brand: 'Microsoft',
      model: 'Xbox Series S',
      description: 'An all-digital next-gen Xbox with a 512GB SSD.',
      specs: { storage: '512GB', edition: 'Digital', color: 'Robot White' },
      variants: [['', 448_000]],
    },
    {
      brand: 'Valve',
      model: 'Steam Deck OLED',
      description: 'A handheld gaming PC with a 7.4-inch HDR OLED screen and faster Wi-Fi 6E.',
      specs: { edition: 'Handheld', color: 'Black' },
      variants: [
        ['512GB', 789_000, { storage: '512GB' }],
        ['1TB', 929_000, { storage: '1TB' }],
      ],
    },
    {
      brand: 'ASUS',
      model: 'ROG Ally X',
      description: 'A Windows handheld with Ryzen Z1 Extreme, 24GB LPDDR5X and an 80 Wh battery.',
      specs: { storage: '1TB', edition: 'Handheld', color: 'Black' },
      variants: [['', 1_099_000]],
    },
  ]),
  ...lines('gaming-accessories', [
    {
      brand: 'Sony',
      model: 'DualSense Wireless Controller',
      description: 'The PS5 controller with haptic feedback and adaptive triggers.',
      specs: { platform: 'PlayStation 5', connectivity: 'Bluetooth, USB-C' },
      variants: [
        ['White', 89_800, { color: 'White' }],
        ['Midnight Black', 89_800, { color: 'Midnight Black' }],
        ['Cosmic Red', 94_800, { color: 'Cosmic Red' }],
      ],
    },
    {
      brand: 'Sony',
      model: 'DualSense Edge',
      description: 'A pro PS5 controller with swappable stick modules and back buttons.',
      specs: { platform: 'PlayStation 5', connectivity: 'Bluetooth, USB-C', color: 'White' },
      variants: [['', 279_800]],
    },
    {
      brand: 'Microsoft',
      model: 'Xbox Wireless Controller',
      description: 'The Xbox controller with textured grips and a Share button, also for PC and mobile.',
      specs: { platform: 'Xbox, PC', connectivity: 'Xbox Wireless, Bluetooth' },
      variants: [
        ['Carbon Black', 69_800, { color: 'Carbon Black' }],
        ['Robot White', 69_800, { color: 'Robot White' }],
      ],
    },
    {
      brand: 'Microsoft',
      model: 'Xbox Elite Wireless Controller Series 2',
      description: 'Adjustable-tension thumbsticks, wrap-around rubber grip and up to 40 hours of battery.',
      specs: { platform: 'Xbox, PC', connectivity: 'Xbox Wireless, Bluetooth', color: 'Black' },
      variants: [['', 229_000]],
    },
    {
      brand: 'Nintendo',
      model: 'Switch Pro Controller',
      description: 'A traditional controller for Nintendo Switch with HD rumble and amiibo support.',
      specs: { platform: 'Nintendo Switch', connectivity: 'Bluetooth', color: 'Black' },
      variants: [['', 79_800]],
    },
    {
      brand: 'SteelSeries',
      model: 'Arctis Nova Pro Wireless',
      description: 'A multi-system gaming headset with hot-swappable batteries and ANC.',
      specs: { platform: 'PC, PlayStation', connectivity: '2.4GHz, Bluetooth', color: 'Black' },
      variants: [['', 479_000]],
    },
    {
      brand: 'Razer',
      model: 'BlackShark V2 Pro 2023',
      description: 'A wireless esports headset with TriForce Titanium 50mm drivers and a super-wideband mic.',
      specs: { platform: 'PC, PlayStation', connectivity: '2.4GHz, Bluetooth', color: 'Black' },
      variants: [['', 269_000]],
    },
    {
      brand: 'Logitech',
      model: 'G PRO X 2 LIGHTSPEED',
      description: 'A wireless gaming headset with graphene drivers and 50-hour battery.',
      specs: { platform: 'PC, PlayStation, Switch', connectivity: 'LIGHTSPEED, Bluetooth', color: 'Black' },
      variants: [['', 329_000]],
    },
    {
      brand: 'HyperX',
      model: 'Cloud III',
      description: 'A comfortable wired gaming headset with 53mm drivers and a noise-cancelling mic.',
      specs: { platform: 'PC, PlayStation, Xbox', connectivity: 'USB, 3.5mm', color: 'Black/Red' },
      variants: [['', 149_000]],
    },
    {
      brand: 'Logitech',
      model: 'G923 Racing Wheel',
      description: 'A racing wheel and pedals with TRUEFORCE force feedback.',
      specs: { platform: 'PlayStation, PC', connectivity: 'USB', color: 'Black' },
      variants: [['', 499_000]],
    },
    {
      brand: 'Sony',
      model: 'PlayStation VR2',
      description: 'A 4K HDR OLED VR headset with eye tracking and Sense controllers.',
      specs: { platform: 'PlayStation 5, PC', connectivity: 'USB-C', color: 'White' },
      variants: [['', 749_000]],
    },
  ]),
  ...lines('ssds', [
    {
      brand: 'Samsung',
      model: '990 PRO NVMe M.2 SSD',
      description: 'A PCIe 4.0 NVMe SSD with up to 7,450 MB/s reads for gaming and creative work.',
      specs: { interface: 'PCIe 4.0 x4 NVMe', read_speed: '7450MB/s' },
      variants: [
        ['1TB', 169_000, { storage: '1TB' }],
        ['2TB', 259_000, { storage: '2TB' }],
        ['4TB', 489_000, { storage: '4TB' }],
      ],
    },
    {
      brand: 'Samsung',
      model: '990 EVO Plus NVMe M.2 SSD',
      description: 'A DRAM-less PCIe 4.0/5.0 hybrid SSD with improved power efficiency.',
      specs: { interface: 'PCIe 4.0 x4 / 5.0 x2 NVMe', read_speed: '7250MB/s' },
      variants: [
        ['1TB', 119_000, { storage: '1TB' }],
        ['2TB', 199_000, { storage: '2TB' }],
      ],
    },
    {
      brand: 'Samsung',
      model: 'T7 Shield Portable SSD',
      description: 'A rugged IP65 portable SSD with USB 3.2 Gen 2 at up to 1,050 MB/s.',
      specs: { interface: 'USB 3.2 Gen 2', read_speed: '1050MB/s' },
      variants: [
        ['1TB', 149_000, { storage: '1TB' }],
        ['2TB', 239_000, { storage: '2TB' }],
      ],
    },
    {
      brand: 'WD',
      model: 'Black SN850X NVMe SSD',
      description: 'A gaming SSD with Game Mode 2.0 and up to 7,300 MB/s.',
      specs: { interface: 'PCIe 4.0 x4 NVMe', read_speed: '7300MB/s' },
      variants: [
        ['1TB', 149_000, { storage: '1TB' }],
        ['2TB', 229_000, { storage: '2TB' }],
      ],
    },
    {
      brand: 'SK hynix',
      model: 'Platinum P41 NVMe SSD',
      description: 'An efficient PCIe 4.0 SSD with 176-layer NAND and a five-year warranty.',
      specs: { interface: 'PCIe 4.0 x4 NVMe', read_speed: '7000MB/s' },
      variants: [
        ['1TB', 139_000, { storage: '1TB' }],
        ['2TB', 219_000, { storage: '2TB' }],
      ],
    },
    {
      brand: 'Crucial',
      model: 'T705 PCIe Gen5 NVMe SSD',
      description: 'A PCIe 5.0 SSD with up to 14,500 MB/s sequential reads.',
      specs: { interface: 'PCIe 5.0 x4 NVMe', read_speed: '14500MB/s' },
      variants: [['2TB', 379_000, { storage: '2TB' }]],
    },
    {
      brand: 'Crucial',
      model: 'P3 Plus NVMe SSD',
      description: 'An affordable PCIe 4.0 SSD for upgrades and new builds.',
      specs: { interface: 'PCIe 4.0 x4 NVMe', read_speed: '5000MB/s' },
      variants: [['1TB', 89_000, { storage: '1TB' }]],
    },
  ]),
  ...lines('graphics-cards', [
    {
      brand: 'ASUS',
      model: 'TUF Gaming GeForce RTX 4070 SUPER OC',
      description: 'Military-grade components and axial-tech fans for a cool, quiet RTX 4070 SUPER.',
      specs: { chip: 'NVIDIA GeForce RTX 4070 SUPER', memory: '12GB GDDR6X', power: '220W' },
      variants: [['12GB', 989_000]],
    },
    {
      brand: 'MSI',
      model: 'GeForce RTX 4060 VENTUS 2X BLACK OC',
      description: 'A compact dual-fan RTX 4060 for 1080p gaming with DLSS 3.',
      specs: { chip: 'NVIDIA GeForce RTX 4060', memory: '8GB GDDR6', power: '115W' },
      variants: [['8GB', 429_000]],
    },
    {
      brand: 'GIGABYTE',
      model: 'GeForce RTX 4070 Ti SUPER GAMING OC',
      description: 'WINDFORCE cooling and RGB Fusion on a 16GB RTX 4070 Ti SUPER.',
      specs: { chip: 'NVIDIA GeForce RTX 4070 Ti SUPER', memory: '16GB GDDR6X', power: '285W' },
      variants: [['16GB', 1_390_000]],
    },
    {
      brand: 'ASUS',
      model: 'ROG Strix GeForce RTX 4090 OC',
      description: 'The flagship RTX 4090 with a 3.5-slot heatsink and dual BIOS.',
      specs: { chip: 'NVIDIA GeForce RTX 4090', memory: '24GB GDDR6X', power: '450W' },
      variants: [['24GB', 3_490_000]],
    },
    {
      brand: 'MSI',
      model: 'GeForce RTX 5080 GAMING TRIO OC',
      description: 'A Blackwell RTX 5080 with DLSS 4 Multi Frame Generation and TRI FROZR 3 cooling.',
      specs: { chip: 'NVIDIA GeForce RTX 5080', memory: '16GB GDDR7', power: '360W' },
      variants: [['16GB', 2_090_000]],
    },
    {
      brand: 'ZOTAC',
      model: 'GAMING GeForce RTX 5070 Twin Edge OC',
      description: 'A two-slot RTX 5070 for small builds with DLSS 4.',
      specs: { chip: 'NVIDIA GeForce RTX 5070', memory: '12GB GDDR7', power: '250W' },
      variants: [['12GB', 989_000]],
    },
    {
      brand: 'Sapphire',
      model: 'PULSE Radeon RX 7800 XT',
      description: 'A 16GB RDNA 3 card for high-refresh 1440p gaming.',
      specs: { chip: 'AMD Radeon RX 7800 XT', memory: '16GB GDDR6', power: '263W' },
      variants: [['16GB', 749_000]],
    },
    {
      brand: 'PowerColor',
      model: 'Hellhound Radeon RX 7900 XTX',
      description: 'A 24GB Radeon flagship with a quiet triple-fan cooler.',
      specs: { chip: 'AMD Radeon RX 7900 XTX', memory: '24GB GDDR6', power: '355W' },
      variants: [['24GB', 1_490_000]],
    },
  ]),
  ...lines('memory', [
    {
      brand: 'Samsung',
      model: 'DDR5-5600 Desktop Memory',
      description: 'A single JEDEC-standard DDR5 module for desktop upgrades.',
      specs: { speed: '5600MT/s', type: 'DDR5 UDIMM' },
      variants: [
        ['16GB', 59_000, { capacity: '16GB' }],
        ['32GB', 109_000, { capacity: '32GB' }],
      ],
    },
    {
      brand: 'Corsair',
      model: 'VENGEANCE DDR5-6000 CL30',
      description: 'A low-profile DDR5 kit with AMD EXPO and Intel XMP 3.0 profiles.',
      specs: { speed: '6000MT/s', type: 'DDR5 UDIMM' },
      variants: [
        ['32GB (2x16GB)', 149_000, { capacity: '32GB' }],
        ['64GB (2x32GB)', 279_000, { capacity: '64GB' }],
      ],
    },
    {
      brand: 'G.SKILL',
      model: 'Trident Z5 RGB DDR5-6400 CL32',
      description: 'A performance DDR5 kit with a brushed aluminium heatspreader and RGB light bar.',
      specs: { speed: '6400MT/s', type: 'DDR5 UDIMM' },
      variants: [['32GB (2x16GB)', 179_000, { capacity: '32GB' }]],
    },
    {
      brand: 'Kingston',
      model: 'FURY Beast DDR5-5600',
      description: 'Plug-and-play DDR5 with a low-profile heat spreader.',
      specs: { speed: '5600MT/s', type: 'DDR5 UDIMM' },
      variants: [['32GB (2x16GB)', 129_000, { capacity: '32GB' }]],
    },
    {
      brand: 'SK hynix',
      model: 'DDR5-5600 SO-DIMM',
      description: 'A laptop memory module for DDR5 notebooks and mini PCs.',
      specs: { speed: '5600MT/s', type: 'DDR5 SO-DIMM' },
      variants: [
        ['16GB', 55_000, { capacity: '16GB' }],
        ['32GB', 105_000, { capacity: '32GB' }],
      ],
    },
  ]),
  ...lines('keyboards', [
    {
      brand: 'Logitech',
      model: 'MX Keys S',
      description: 'A low-profile wireless keyboard with smart backlighting and Smart Actions.',
      specs: { connectivity: 'Bluetooth, Logi Bolt', layout: 'Full-size', switch: 'Scissor' },
      variants: [
        ['Graphite', 149_000, { color: 'Graphite' }],
        ['Pale Gray', 149_000, { color: 'Pale Gray' }],
      ],
    },
    {
      brand: 'Logitech',
      model: 'MX Mechanical Mini',
      description: 'A compact wireless mechanical keyboard with low-profile tactile switches.',
      specs: {
        connectivity: 'Bluetooth, Logi Bolt',
        layout: '75%',
        switch: 'Tactile Quiet',
        color: 'Graphite',
      },
      variants: [['', 189_000]],
    },
    {
      brand: 'Logitech',
      model: 'G915 X TKL LIGHTSPEED',
      description: 'A slim wireless tenkeyless gaming keyboard with low-profile GL switches.',
      specs: { connectivity: 'LIGHTSPEED, Bluetooth', layout: 'TKL', switch: 'GL Tactile', color: 'Black' },
      variants: [['', 329_000]],
    },
    {
      brand: 'Apple',
      model: 'Magic Keyboard with Touch ID',
      description: 'A wireless Mac keyboard with Touch ID for Apple silicon Macs and a USB-C cable.',
      specs: { connectivity: 'Bluetooth, USB-C', layout: 'Full-size', switch: 'Scissor', color: 'White' },
      variants: [
        ['Korean', 219_000],
        ['US English', 219_000],
      ],
    },
    {
      brand: 'Keychron',
      model: 'K8 Pro',
      description: 'A hot-swappable wireless mechanical keyboard with QMK/VIA support for Mac and Windows.',
      specs: { connectivity: 'Bluetooth 5.1, USB-C', layout: 'TKL', color: 'Black' },
      variants: [
        ['Gateron Brown', 149_000, { switch: 'Gateron G Pro Brown' }],
        ['Gateron Red', 149_000, { switch: 'Gateron G Pro Red' }],
      ],
    },
    {
      brand: 'Keychron',
      model: 'Q1 Pro',
      description: 'A CNC aluminium 75% wireless keyboard with a double-gasket design and knob.',
      specs: {
        connectivity: 'Bluetooth 5.1, USB-C',
        layout: '75%',
        switch: 'K Pro Red',
        color: 'Carbon Black',
      },
      variants: [['', 269_000]],
    },
    {
      brand: 'Leopold',
      model: 'FC750R PD',
      description: 'A Korean-made tenkeyless keyboard with PBT double-shot keycaps and Cherry MX switches.',
      specs: { connectivity: 'USB-C', layout: 'TKL', color: 'Ash Yellow' },
      variants: [
        ['Brown Switch', 139_000, { switch: 'Cherry MX Brown' }],
        ['Silent Red Switch', 139_000, { switch: 'Cherry MX Silent Red' }],
      ],
    },
    {
      brand: 'Razer',
      model: 'BlackWidow V4 Pro',
      description: 'A full-size mechanical gaming keyboard with a command dial and magnetic wrist rest.',
      specs: { connectivity: 'USB', layout: 'Full-size', switch: 'Razer Green', color: 'Black' },
      variants: [['', 339_000]],
    },
  ]),
  ...lines('mice', [
    {
      brand: 'Logitech',
      model: 'MX Master 3S',
      description: 'A quiet-click ergonomic mouse with an 8K DPI sensor and MagSpeed scroll wheel.',
      specs: { connectivity: 'Bluetooth, Logi Bolt', dpi: '8000', weight: '141g' },
      variants: [
        ['Graphite', 149_000, { color: 'Graphite' }],
        ['Pale Gray', 149_000, { color: 'Pale Gray' }],
      ],
    },
    {
      brand: 'Logitech',
      model: 'MX Anywhere 3S',
      description: 'A compact mouse that tracks on glass, for laptops and travel.',
      specs: { connectivity: 'Bluetooth', dpi: '8000', weight: '99g', color: 'Graphite' },
      variants: [['', 109_000]],
    },
    {
      brand: 'Logitech',
      model: 'G PRO X SUPERLIGHT 2',
      description: 'A 60g wireless esports mouse with the HERO 2 sensor and LIGHTFORCE switches.',
      specs: { connectivity: 'LIGHTSPEED', dpi: '32000', weight: '60g' },
      variants: [
        ['Black', 229_000, { color: 'Black' }],
        ['White', 229_000, { color: 'White' }],
      ],
    },
    {
      brand: 'Razer',
      model: 'DeathAdder V3 Pro',
      description: 'An ergonomic 63g wireless esports mouse with the Focus Pro 30K sensor.',
      specs: { connectivity: 'HyperSpeed Wireless', dpi: '30000', weight: '63g', color: 'Black' },
      variants: [['', 219_000]],
    },
    {
      brand: 'Razer',
      model: 'Basilisk V3 Pro',
      description: 'A customisable wireless gaming mouse with 11 programmable controls and Chroma RGB.',
      specs: { connectivity: 'HyperSpeed Wireless, Bluetooth', dpi: '30000', weight: '112g', color: 'Black' },
      variants: [['', 239_000]],
    },
    {
      brand: 'Apple',
      model: 'Magic Mouse USB-C',
      description: 'A wireless multi-touch mouse for Mac, now charged over USB-C.',
      specs: { connectivity: 'Bluetooth', dpi: '1300', weight: '99g' },
      variants: [
        ['White', 119_000, { color: 'White' }],
        ['Black', 149_000, { color: 'Black' }],
      ],
    },
  ]),
  ...lines('chargers', [
    {
      brand: 'Samsung',
      model: '45W Power Adapter EP-T4511',
      description: 'A Super Fast Charging 2.0 USB-C charger with a 5A cable included.',
      specs: { power: '45W', ports: '1x USB-C', color: 'Black' },
      variants: [['', 45_000]],
    },
    {
      brand: 'Samsung',
      model: '25W Power Adapter EP-T2510',
      description: 'A compact Super Fast Charging USB-C adapter for Galaxy phones.',
      specs: { power: '25W', ports: '1x USB-C' },
      variants: [
        ['Black', 25_000, { color: 'Black' }],
        ['White', 25_000, { color: 'White' }],
      ],
    },
    {
      brand: 'Samsung',
      model: '20000mAh Battery Pack EB-P5300',
      description: 'A 25W Super Fast Charging power bank with two USB-C ports.',
      specs: { power: '25W', ports: '2x USB-C', color: 'Beige' },
      variants: [['', 59_000]],
    },
    {
      brand: 'Apple',
      model: '20W USB-C Power Adapter',
      description: 'Fast charging for iPhone and iPad at home, in the office or on the go.',
      specs: { power: '20W', ports: '1x USB-C', color: 'White' },
      variants: [['', 28_000]],
    },
    {
      brand: 'Apple',
      model: '35W Dual USB-C Port Compact Power Adapter',
      description: 'A foldable dual-port adapter that charges two devices at once.',
      specs: { power: '35W', ports: '2x USB-C', color: 'White' },
      variants: [['', 79_000]],
    },
    {
      brand: 'Anker',
      model: 'Prime 100W GaN Charger',
      description: 'A three-port GaN charger with ActiveShield 2.0 temperature monitoring.',
      specs: { power: '100W', ports: '2x USB-C, 1x USB-A', color: 'Black' },
      variants: [['', 89_000]],
    },
    {
      brand: 'Anker',
      model: '737 Power Bank PowerCore 24K',
      description: 'A 24,000mAh power bank with 140W two-way fast charging and a smart display.',
      specs: { power: '140W', ports: '2x USB-C, 1x USB-A', color: 'Black' },
      variants: [['', 189_000]],
    },
    {
      brand: 'Belkin',
      model: 'BoostCharge Pro 3-in-1 with MagSafe',
      description: 'A 15W MagSafe stand for iPhone, Apple Watch and AirPods.',
      specs: { power: '15W', ports: 'MagSafe, Watch, Qi' },
      variants: [
        ['Black', 189_000, { color: 'Black' }],
        ['White', 189_000, { color: 'White' }],
      ],
    },
    {
      brand: 'UGREEN',
      model: 'Nexode 65W GaN Charger',
      description: 'A compact three-port charger that powers a laptop, phone and earbuds at once.',
      specs: { power: '65W', ports: '2x USB-C, 1x USB-A', color: 'Gray' },
      variants: [['', 49_000]],
    },
  ]),
];

/** FNV-1a: a tiny deterministic hash, so stock levels and image counts are stable without a random source. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Upper-case, dash-separated, 64 characters at most (the column size). */
export function skuFor(...parts: string[]): string {
  return parts
    .join(' ')
    .replace(/\+/g, ' PLUS ')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 64);
}

export function productName(line: ProductLine, label: string): string {
  return [line.brand, line.model, label].filter((part) => part !== '').join(' ');
}

/** Mostly 5–200 units, with about 4% sold out and 4% down to the last one to three. */
export function stockFor(hash: number): number {
  const bucket = hash % 100;
  if (bucket < 4) return 0;
  if (bucket < 8) return 1 + ((hash >>> 8) % 3);
  return 5 + ((hash >>> 8) % 196);
}

export function imageUrls(sku: string, count: number): string[] {
  return Array.from(
    { length: count },
    (_, index) => `${IMAGE_BASE_URL}/${sku.toLowerCase()}-${index + 1}.jpg`,
  );
}

function expand(line: ProductLine): ProductSeed[] {
  return line.variants.map(([label, price, variantSpecs]) => {
    const sku = skuFor(line.brand, line.model, label);
    const hash = stableHash(sku);
    return {
      sku,
      name: productName(line, label),
      brand: line.brand,
      categorySlug: line.categorySlug,
      description: line.description,
      price,
      stock: stockFor(hash),
      specs: { ...line.specs, ...variantSpecs },
      imageUrls: imageUrls(sku, 1 + ((hash >>> 16) % 3)),
    };
  });
}

/** Every way the data could break the seed or the shop's filters; empty when the catalogue is sound. */
export function catalogueProblems(
  categories: readonly CategorySeed[],
  products: readonly ProductSeed[],
): string[] {
  const problems: string[] = [];
  const slugs = new Set<string>();
  for (const category of categories) {
    if (slugs.has(category.slug)) problems.push(`category slug ${category.slug} is listed twice`);
    if (category.parentSlug !== null && !slugs.has(category.parentSlug)) {
      problems.push(`category ${category.slug} comes before its parent ${category.parentSlug}`);
    }
    slugs.add(category.slug);
  }
  const parents = new Set(categories.map((category) => category.parentSlug));
  const skus = new Set<string>();
  for (const product of products) {
    if (skus.has(product.sku)) problems.push(`sku ${product.sku} is used twice`);
    skus.add(product.sku);
    if (product.sku.startsWith('GEN-')) problems.push(`sku ${product.sku} uses the generated-product prefix`);
    if (!slugs.has(product.categorySlug))
      problems.push(`${product.sku}: unknown category ${product.categorySlug}`);
    if (parents.has(product.categorySlug))
      problems.push(`${product.sku}: ${product.categorySlug} has sub-categories`);
    if (!Number.isSafeInteger(product.price) || product.price <= 0)
      problems.push(`${product.sku}: price ${product.price}`);
    const expected = [...(SPEC_KEYS[product.categorySlug] ?? [])].sort().join(',');
    const actual = Object.keys(product.specs).sort().join(',');
    if (expected !== actual) problems.push(`${product.sku}: spec keys ${actual}, expected ${expected}`);
  }
  return problems;
}

export const demoProducts: readonly ProductSeed[] = productLines.flatMap(expand);

// A duplicate sku would be silently skipped by the idempotent upsert, so broken data fails at import instead.
const problems = catalogueProblems(demoCategories, demoProducts);
if (problems.length > 0)
  throw new Error(`seeds/catalogue-data.ts is inconsistent:\n  ${problems.join('\n  ')}`);
