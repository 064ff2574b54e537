/**
 * The catalog generator's vocabulary: departments, product types, attribute pools and option
 * groups. Plain data; `catalog-gen.ts` draws products from it with a seeded Rng.
 *
 * Every product type belongs to a department; its category path is
 * `department › sub-department › type label` (joined with '›', as WebShop's product_category).
 * Attributes are the short phrases a goal asks for ("machine wash", "gluten free"); each department
 * has a pool, and each type may add its own. Option groups (size, color, flavor...) have a value
 * pool; a product offers a random subset of each group it has, so options differ per product.
 * @module
 */

export interface OptionGroupDef {
  name: string;
  values: readonly string[];
  /** How many values a product offers at least / at most. */
  min: number;
  max: number;
}

export interface ProductTypeDef {
  /** The search phrase a shopper would type: WebShop's `query` field ("men's shorts"). */
  query: string;
  /** The noun phrase used in titles ("Shorts"). */
  noun: string;
  /** Sub-department (second level of the category path). */
  sub: string;
  /** Price range in dollars. */
  price: readonly [number, number];
  /** Option groups this type may carry (each is included with probability 0.8). */
  options: readonly OptionGroupDef[];
  /** Extra attributes on top of the department pool. */
  attributes?: readonly string[];
}

export interface DepartmentDef {
  name: string;
  brands: readonly string[];
  attributes: readonly string[];
  types: readonly ProductTypeDef[];
}

const APPAREL_SIZES = ['x-small', 'small', 'medium', 'large', 'x-large', 'xx-large', '3x-large'];
const SHOE_SIZES = ['6', '6.5', '7', '7.5', '8', '8.5', '9', '9.5', '10', '10.5', '11', '12', '13'];
const COLORS = [
  'black', 'white', 'navy', 'grey', 'red', 'blue', 'green', 'pink', 'beige', 'brown', 'olive',
  'purple', 'burgundy', 'khaki', 'charcoal', 'teal', 'yellow', 'orange', 'ivory', 'light blue',
];
const SHADES = ['ivory', 'natural beige', 'sand', 'honey', 'caramel', 'espresso', 'rose', 'coral', 'nude', 'berry', 'mauve'];
const SCENTS = ['lavender', 'unscented', 'vanilla', 'citrus', 'coconut', 'eucalyptus', 'rose', 'sandalwood', 'fresh linen', 'mint'];
const FLAVORS = [
  'chocolate', 'vanilla', 'strawberry', 'peanut butter', 'sea salt', 'original', 'cinnamon', 'honey',
  'barbecue', 'sour cream', 'mango', 'mixed berry', 'salted caramel', 'lemon', 'cookies and cream',
];
const PACKS = ['pack of 1', 'pack of 2', 'pack of 3', 'pack of 4', 'pack of 6', 'pack of 12', 'pack of 24'];
const WEIGHTS = ['4 ounce', '8 ounce', '12 ounce', '16 ounce', '1 pound', '2 pound', '5 pound'];
const VOLUMES = ['1 fl oz', '2 fl oz', '3.4 fl oz', '6.7 fl oz', '8 fl oz', '16 fl oz', '32 fl oz'];
const CAPACITIES = ['32gb', '64gb', '128gb', '256gb', '512gb', '1tb', '2tb'];
const LENGTHS = ['3 feet', '6 feet', '10 feet', '15 feet', '25 feet', '50 feet'];
const DIMENSIONS = ['20 x 20 inch', '24 x 36 inch', '5 x 7 feet', '8 x 10 feet', '2 x 3 feet', '18 x 18 inch', '60 x 80 inch'];
const BED_SIZES = ['twin', 'full', 'queen', 'king', 'california king'];
const STYLES = ['modern', 'classic', 'rustic', 'industrial', 'farmhouse', 'minimalist', 'vintage'];
const MATERIALS = ['cotton', 'linen', 'polyester', 'velvet', 'leather', 'wool', 'bamboo', 'microfiber'];
const PET_SIZES = ['small breed', 'medium breed', 'large breed', 'x-small', 'small', 'medium', 'large'];
const COUNTS = ['30 count', '60 count', '90 count', '120 count', '180 count', '240 count'];

const g = (name: string, values: readonly string[], min = 2, max = 6): OptionGroupDef => ({ name, values, min, max });
const SIZE = g('size', APPAREL_SIZES, 3, 7);
const COLOR = g('color', COLORS, 2, 8);

export const DEPARTMENTS: readonly DepartmentDef[] = [
  {
    name: 'clothing',
    brands: ['Northfield', 'Hartwell', 'Urban Thread', 'Coastline', 'Pinegrove', 'Maple & Co', 'Ridgeway', 'Solstice', 'Blue Harbor', 'Trailmark'],
    attributes: [
      'machine wash', 'hand wash', 'elastic waist', 'slim fit', 'relaxed fit', 'classic fit', 'long sleeve', 'short sleeve',
      'button closure', 'drawstring closure', 'cotton spandex', 'quick drying', 'moisture wicking', 'polyester spandex',
      'high waist', 'regular fit', 'wash cold', 'tumble dry', 'soft material', 'stretch fabric',
    ],
    types: [
      { query: "men's t-shirt", noun: 'T-Shirt', sub: 'men', price: [8, 40], options: [SIZE, COLOR] },
      { query: "women's t-shirt", noun: 'Tee', sub: 'women', price: [8, 40], options: [SIZE, COLOR] },
      { query: "men's shorts", noun: 'Shorts', sub: 'men', price: [12, 55], options: [SIZE, COLOR] },
      { query: "women's leggings", noun: 'Leggings', sub: 'women', price: [12, 60], options: [SIZE, COLOR], attributes: ['tummy control', 'butt lift'] },
      { query: "men's jeans", noun: 'Jeans', sub: 'men', price: [20, 90], options: [g('size', ['28w x 30l', '30w x 30l', '32w x 32l', '34w x 32l', '36w x 32l', '38w x 34l'], 3, 6), COLOR] },
      { query: "women's dress", noun: 'Dress', sub: 'women', price: [18, 120], options: [SIZE, COLOR], attributes: ['v neck', 'a line', 'midi length'] },
      { query: 'hoodie', noun: 'Hoodie', sub: 'unisex', price: [20, 80], options: [SIZE, COLOR], attributes: ['fleece lined', 'kangaroo pocket'] },
      { query: 'running shoes', noun: 'Running Shoes', sub: 'shoes', price: [30, 160], options: [g('size', SHOE_SIZES, 4, 9), COLOR], attributes: ['rubber sole', 'non slip', 'arch support', 'lace up'] },
      { query: 'slippers', noun: 'Slippers', sub: 'shoes', price: [10, 50], options: [g('size', SHOE_SIZES, 3, 7), COLOR], attributes: ['memory foam', 'rubber sole', 'non slip'] },
      { query: 'winter jacket', noun: 'Winter Jacket', sub: 'outerwear', price: [40, 250], options: [SIZE, COLOR], attributes: ['zipper closure', 'water resistant', 'hooded'] },
      { query: "men's dress shirt", noun: 'Dress Shirt', sub: 'men', price: [18, 75], options: [SIZE, COLOR], attributes: ['wrinkle free', 'button down'] },
      { query: 'socks', noun: 'Socks', sub: 'accessories', price: [6, 30], options: [g('size', ['small', 'medium', 'large', 'x-large'], 2, 4), g('color', COLORS, 2, 6)], attributes: ['cushioned sole', 'athletic'] },
    ],
  },
  {
    name: 'beauty & personal care',
    brands: ['Luminelle', 'Verdana Botanics', 'Pure Petal', 'Glowry', 'Aurelia', 'Mistral', 'Silkwood', 'Nordlys'],
    attributes: [
      'cruelty free', 'paraben free', 'long lasting', 'sensitive skin', 'natural ingredients', 'dark circles', 'fine lines',
      'travel size', 'easy apply', 'dry skin', 'oil free', 'fragrance free', 'vegan', 'sulfate free', 'hyaluronic acid',
      'dermatologist tested', 'alcohol free', 'non toxic',
    ],
    types: [
      { query: 'face moisturizer', noun: 'Face Moisturizer', sub: 'skin care', price: [8, 70], options: [g('size', VOLUMES, 2, 4)] },
      { query: 'eye cream', noun: 'Eye Cream', sub: 'skin care', price: [10, 80], options: [g('size', VOLUMES.slice(0, 4), 2, 3)], attributes: ['puffy eyes'] },
      { query: 'shampoo', noun: 'Shampoo', sub: 'hair care', price: [6, 45], options: [g('size', VOLUMES, 2, 4), g('scent', SCENTS, 2, 5)], attributes: ['hair growth', 'color treated', 'dry hair'] },
      { query: 'conditioner', noun: 'Conditioner', sub: 'hair care', price: [6, 45], options: [g('size', VOLUMES, 2, 4), g('scent', SCENTS, 2, 5)], attributes: ['dry hair', 'damaged hair'] },
      { query: 'lipstick', noun: 'Lipstick', sub: 'makeup', price: [5, 40], options: [g('color', SHADES, 3, 8)], attributes: ['matte finish', 'highly pigmented'] },
      { query: 'foundation', noun: 'Liquid Foundation', sub: 'makeup', price: [8, 55], options: [g('color', SHADES, 3, 8), g('size', ['1 fl oz', '1.7 fl oz'], 2, 2)], attributes: ['full coverage', 'matte finish'] },
      { query: 'body wash', noun: 'Body Wash', sub: 'bath & body', price: [5, 30], options: [g('scent', SCENTS, 2, 6), g('size', VOLUMES.slice(3), 2, 4)] },
      { query: 'hair dryer', noun: 'Hair Dryer', sub: 'tools', price: [20, 150], options: [COLOR], attributes: ['ionic technology', 'fast drying', 'low noise'] },
      { query: 'nail polish', noun: 'Nail Polish', sub: 'makeup', price: [4, 25], options: [g('color', [...SHADES, 'red', 'black', 'teal', 'purple'], 3, 8)], attributes: ['quick drying', 'chip resistant'] },
      { query: 'electric toothbrush', noun: 'Electric Toothbrush', sub: 'oral care', price: [20, 180], options: [g('color', ['black', 'white', 'pink', 'blue', 'rose gold'], 2, 4)], attributes: ['rechargeable', 'long battery life', 'sensitive teeth'] },
      { query: 'deodorant', noun: 'Deodorant', sub: 'bath & body', price: [4, 20], options: [g('scent', SCENTS, 2, 5), g('size', PACKS.slice(0, 4), 2, 3)], attributes: ['aluminum free'] },
    ],
  },
  {
    name: 'grocery & gourmet food',
    brands: ['Golden Acre', 'Harvest Lane', 'Nutty Oak', 'Sunny Fields', 'Tidewater', 'Wild Orchard', 'Prairie Mill', 'Crisp & Co'],
    attributes: [
      'gluten free', 'sugar free', 'low calorie', 'non gmo', 'keto friendly', 'ready eat', 'high protein', 'plant based',
      'individually wrapped', 'dairy free', 'low carb', 'usda organic', 'kosher certified', 'no artificial flavors',
      'low sodium', 'great gift', 'whole grain', 'resealable bag',
    ],
    types: [
      { query: 'protein bars', noun: 'Protein Bars', sub: 'snacks', price: [10, 45], options: [g('flavor', FLAVORS, 2, 6), g('size', PACKS, 2, 4)] },
      { query: 'potato chips', noun: 'Potato Chips', sub: 'snacks', price: [3, 30], options: [g('flavor', FLAVORS, 2, 6), g('size', PACKS, 2, 4)], attributes: ['kettle cooked'] },
      { query: 'ground coffee', noun: 'Ground Coffee', sub: 'beverages', price: [7, 40], options: [g('flavor', ['original', 'hazelnut', 'vanilla', 'dark roast', 'medium roast', 'french roast', 'mocha'], 2, 5), g('size', WEIGHTS, 2, 4)], attributes: ['fair trade', 'whole bean'] },
      { query: 'green tea', noun: 'Green Tea', sub: 'beverages', price: [4, 30], options: [g('flavor', ['original', 'jasmine', 'mint', 'lemon', 'honey', 'ginger'], 2, 5), g('size', ['20 count', '40 count', '100 count'], 2, 3)] },
      { query: 'trail mix', noun: 'Trail Mix', sub: 'snacks', price: [5, 35], options: [g('flavor', FLAVORS, 2, 5), g('size', WEIGHTS, 2, 4)] },
      { query: 'olive oil', noun: 'Extra Virgin Olive Oil', sub: 'pantry', price: [8, 50], options: [g('size', VOLUMES.slice(3), 2, 4)], attributes: ['cold pressed'] },
      { query: 'cookies', noun: 'Cookies', sub: 'snacks', price: [3, 30], options: [g('flavor', FLAVORS, 2, 6), g('size', PACKS, 2, 4)] },
      { query: 'pasta', noun: 'Pasta', sub: 'pantry', price: [2, 25], options: [g('size', WEIGHTS, 2, 4), g('style', ['spaghetti', 'penne', 'fusilli', 'rigatoni', 'linguine'], 2, 4)] },
      { query: 'beef jerky', noun: 'Beef Jerky', sub: 'snacks', price: [6, 40], options: [g('flavor', ['original', 'teriyaki', 'peppered', 'sweet and spicy', 'barbecue'], 2, 5), g('size', WEIGHTS.slice(0, 4), 2, 3)], attributes: ['grass fed'] },
      { query: 'honey', noun: 'Raw Honey', sub: 'pantry', price: [6, 40], options: [g('size', WEIGHTS, 2, 4)], attributes: ['raw unfiltered'] },
    ],
  },
  {
    name: 'electronics',
    brands: ['Voltix', 'Kestrel', 'Nimbus Audio', 'Arcline', 'Zentro', 'Halcyon Tech', 'Brightway', 'Orbital'],
    attributes: [
      'high speed', 'noise cancelling', 'wireless bluetooth', 'fast charging', 'long battery life', 'easy install',
      'high definition', 'water resistant', 'usb port', 'plug play', 'hands free', 'dual band', 'aluminum alloy',
      'stereo sound', 'easy carry', 'heavy duty', 'compact size', 'usb c',
    ],
    types: [
      { query: 'wireless earbuds', noun: 'Wireless Earbuds', sub: 'headphones', price: [15, 200], options: [COLOR], attributes: ['charging case', 'touch control'] },
      { query: 'over-ear headphones', noun: 'Over-Ear Headphones', sub: 'headphones', price: [25, 350], options: [COLOR] },
      { query: 'phone charger', noun: 'Phone Charger', sub: 'accessories', price: [8, 45], options: [g('color', ['black', 'white'], 2, 2), g('size', ['1 pack', '2 pack', '3 pack'], 2, 3)] },
      { query: 'usb cable', noun: 'USB Cable', sub: 'accessories', price: [5, 25], options: [g('size', LENGTHS, 2, 5), g('color', ['black', 'white', 'red', 'blue', 'grey'], 2, 4)], attributes: ['braided nylon'] },
      { query: 'bluetooth speaker', noun: 'Bluetooth Speaker', sub: 'audio', price: [20, 250], options: [COLOR], attributes: ['waterproof', 'built-in microphone'] },
      { query: 'memory card', noun: 'Memory Card', sub: 'storage', price: [6, 120], options: [g('capacity', CAPACITIES.slice(0, 5), 2, 5)], attributes: ['high speed'] },
      { query: 'external hard drive', noun: 'External Hard Drive', sub: 'storage', price: [40, 250], options: [g('capacity', CAPACITIES.slice(3), 2, 4), COLOR] },
      { query: 'hdmi cable', noun: 'HDMI Cable', sub: 'accessories', price: [5, 35], options: [g('size', LENGTHS, 2, 5)], attributes: ['4k ultra hd', 'gold plated'] },
      { query: 'security camera', noun: 'Security Camera', sub: 'smart home', price: [25, 200], options: [g('style', ['1 camera', '2 cameras', '4 cameras'], 2, 3), g('color', ['black', 'white'], 2, 2)], attributes: ['night vision', 'motion detection', '1080p hd'] },
      { query: 'phone case', noun: 'Phone Case', sub: 'accessories', price: [6, 40], options: [COLOR, g('style', ['iphone 13', 'iphone 14', 'iphone 15', 'galaxy s23', 'pixel 8'], 2, 5)], attributes: ['shockproof', 'slim design'] },
      { query: 'tv mount', noun: 'TV Wall Mount', sub: 'television', price: [18, 120], options: [g('size', ['32-55 inch', '42-70 inch', '55-85 inch'], 2, 3)], attributes: ['full motion'] },
    ],
  },
  {
    name: 'home & kitchen',
    brands: ['Hearthstone', 'Oak & Ivy', 'Nestwell', 'Cobblestone Home', 'Linden', 'Ashford', 'Willowmere', 'Casa Lumen'],
    attributes: [
      'easy clean', 'living room', 'dining room', 'non slip', 'heavy duty', 'space saving', 'mid century', 'solid wood',
      'easy assemble', 'stainless steel', 'dishwasher safe', 'bpa free', 'machine washable', 'king size', 'queen size',
      'memory foam', 'eco friendly', 'storage space', 'bedroom', 'high density',
    ],
    types: [
      { query: 'area rug', noun: 'Area Rug', sub: 'home decor', price: [25, 300], options: [g('size', DIMENSIONS, 2, 5), COLOR], attributes: ['low pile'] },
      { query: 'throw pillow covers', noun: 'Throw Pillow Covers', sub: 'home decor', price: [8, 40], options: [g('size', ['16 x 16 inch', '18 x 18 inch', '20 x 20 inch', '24 x 24 inch'], 2, 4), COLOR, g('material', MATERIALS, 1, 3)] },
      { query: 'bed sheets', noun: 'Bed Sheet Set', sub: 'bedding', price: [20, 150], options: [g('size', BED_SIZES, 2, 5), COLOR], attributes: ['deep pocket', 'breathable'] },
      { query: 'coffee table', noun: 'Coffee Table', sub: 'furniture', price: [40, 400], options: [g('color', ['walnut', 'oak', 'black', 'white', 'espresso', 'grey'], 2, 4), g('style', STYLES, 1, 3)] },
      { query: 'office chair', noun: 'Office Chair', sub: 'furniture', price: [60, 450], options: [COLOR], attributes: ['lumbar support', 'adjustable height', 'ergonomic design'] },
      { query: 'blackout curtains', noun: 'Blackout Curtains', sub: 'window treatments', price: [15, 90], options: [g('size', ['52 x 63 inch', '52 x 84 inch', '52 x 95 inch', '42 x 63 inch'], 2, 4), COLOR], attributes: ['thermal insulated', 'grommet top'] },
      { query: 'nonstick frying pan', noun: 'Nonstick Frying Pan', sub: 'cookware', price: [15, 120], options: [g('size', ['8 inch', '10 inch', '12 inch'], 2, 3)], attributes: ['induction compatible', 'oven safe'] },
      { query: 'water bottle', noun: 'Water Bottle', sub: 'kitchen', price: [8, 45], options: [g('size', ['12 oz', '18 oz', '24 oz', '32 oz', '40 oz'], 2, 4), COLOR], attributes: ['leak proof', 'vacuum insulated'] },
      { query: 'bath towels', noun: 'Bath Towel Set', sub: 'bath', price: [15, 90], options: [COLOR, g('size', ['2 piece', '4 piece', '6 piece', '8 piece'], 2, 4)], attributes: ['highly absorbent', 'quick drying'] },
      { query: 'table lamp', noun: 'Table Lamp', sub: 'lighting', price: [18, 150], options: [COLOR, g('style', STYLES, 1, 3)], attributes: ['touch control', 'usb port', 'dimmable'] },
      { query: 'storage bins', noun: 'Storage Bins', sub: 'organization', price: [10, 60], options: [COLOR, g('size', PACKS.slice(0, 5), 2, 4)], attributes: ['foldable', 'with handles'] },
      { query: 'mattress topper', noun: 'Mattress Topper', sub: 'bedding', price: [40, 300], options: [g('size', BED_SIZES, 2, 5)], attributes: ['cooling gel'] },
    ],
  },
  {
    name: 'health & household',
    brands: ['VitaCore', 'Clearwell', 'Greenleaf Labs', 'Purity Path', 'Evermore', 'BrightLife'],
    attributes: [
      'easy use', 'gluten free', 'non gmo', 'vegan', 'third party tested', 'easy swallow', 'sugar free', 'bpa free',
      'non toxic', 'fragrance free', 'long lasting', 'high potency', 'made usa', 'latex free',
    ],
    types: [
      { query: 'vitamin d3', noun: 'Vitamin D3 Supplement', sub: 'vitamins', price: [6, 40], options: [g('size', COUNTS, 2, 4)], attributes: ['immune support'] },
      { query: 'fish oil', noun: 'Omega-3 Fish Oil', sub: 'supplements', price: [10, 50], options: [g('size', COUNTS, 2, 4), g('flavor', ['lemon', 'unflavored', 'orange'], 1, 3)], attributes: ['heart health'] },
      { query: 'multivitamin gummies', noun: 'Multivitamin Gummies', sub: 'vitamins', price: [8, 40], options: [g('size', COUNTS, 2, 4), g('flavor', ['mixed berry', 'orange', 'strawberry', 'cherry'], 1, 3)] },
      { query: 'laundry detergent', noun: 'Laundry Detergent', sub: 'household supplies', price: [8, 40], options: [g('scent', SCENTS, 2, 5), g('size', VOLUMES.slice(4), 2, 3)], attributes: ['he compatible', 'plant based'] },
      { query: 'dish soap', noun: 'Dish Soap', sub: 'household supplies', price: [3, 20], options: [g('scent', SCENTS, 2, 5), g('size', PACKS.slice(0, 4), 2, 3)], attributes: ['plant based', 'grease cutting'] },
      { query: 'face masks', noun: 'Disposable Face Masks', sub: 'medical supplies', price: [6, 35], options: [COLOR, g('size', ['50 count', '100 count', '200 count'], 2, 3)], attributes: ['breathable', 'individually wrapped'] },
      { query: 'yoga mat', noun: 'Yoga Mat', sub: 'fitness', price: [15, 90], options: [COLOR, g('size', ['4mm', '6mm', '8mm', '10mm'], 2, 4)], attributes: ['non slip', 'extra thick', 'carrying strap'] },
      { query: 'resistance bands', noun: 'Resistance Bands Set', sub: 'fitness', price: [10, 45], options: [g('style', ['light', 'medium', 'heavy', 'x-heavy', '5 pack'], 2, 4)], attributes: ['latex free', 'door anchor'] },
    ],
  },
  {
    name: 'pet supplies',
    brands: ['Pawsome', 'Whisker & Tail', 'Furbright', 'Barkley', 'Happy Hound', 'Kittyco'],
    attributes: ['easy clean', 'non toxic', 'machine washable', 'grain free', 'natural ingredients', 'durable', 'non slip', 'made usa', 'high protein', 'odor control'],
    types: [
      { query: 'dog food', noun: 'Dry Dog Food', sub: 'dogs', price: [12, 90], options: [g('flavor', ['chicken', 'beef', 'salmon', 'lamb', 'turkey'], 2, 5), g('size', WEIGHTS.slice(4).concat(['15 pound', '30 pound']), 2, 4)] },
      { query: 'cat litter', noun: 'Clumping Cat Litter', sub: 'cats', price: [8, 45], options: [g('size', ['10 pound', '20 pound', '40 pound'], 2, 3), g('scent', ['unscented', 'lavender', 'fresh linen'], 1, 3)], attributes: ['dust free'] },
      { query: 'dog bed', noun: 'Orthopedic Dog Bed', sub: 'dogs', price: [20, 150], options: [g('size', PET_SIZES, 2, 5), COLOR], attributes: ['memory foam', 'removable cover'] },
      { query: 'dog harness', noun: 'Dog Harness', sub: 'dogs', price: [10, 45], options: [g('size', PET_SIZES.slice(3), 2, 4), COLOR], attributes: ['reflective strips', 'adjustable straps', 'no pull'] },
      { query: 'cat toys', noun: 'Cat Toys', sub: 'cats', price: [5, 30], options: [g('size', PACKS.slice(0, 5), 2, 4)], attributes: ['interactive', 'catnip'] },
      { query: 'aquarium filter', noun: 'Aquarium Filter', sub: 'fish', price: [12, 80], options: [g('size', ['10 gallon', '20 gallon', '30 gallon', '55 gallon'], 2, 4)], attributes: ['quiet operation'] },
    ],
  },
  {
    name: 'sports & outdoors',
    brands: ['Summit Ridge', 'Trailblaze', 'Northpeak', 'Riverstone', 'Apex Outfitters', 'Wildpine'],
    attributes: ['lightweight', 'water resistant', 'easy carry', 'heavy duty', 'quick drying', 'durable', 'compact size', 'easy setup', 'breathable', 'uv protection', 'adjustable strap', 'non slip'],
    types: [
      { query: 'camping tent', noun: 'Camping Tent', sub: 'camping', price: [40, 400], options: [g('size', ['2 person', '4 person', '6 person', '8 person'], 2, 4), COLOR], attributes: ['instant setup', 'rainfly'] },
      { query: 'sleeping bag', noun: 'Sleeping Bag', sub: 'camping', price: [25, 200], options: [COLOR, g('style', ['mummy', 'rectangular', 'double'], 1, 3)], attributes: ['cold weather'] },
      { query: 'hiking backpack', noun: 'Hiking Backpack', sub: 'hiking', price: [25, 180], options: [g('size', ['20l', '30l', '40l', '50l', '65l'], 2, 4), COLOR], attributes: ['hydration compatible', 'rain cover'] },
      { query: 'dumbbells', noun: 'Adjustable Dumbbells', sub: 'strength training', price: [30, 400], options: [g('size', ['5 pound', '10 pound', '15 pound', '25 pound', '52.5 pound'], 2, 4)], attributes: ['rubber coated'] },
      { query: 'bike helmet', noun: 'Bike Helmet', sub: 'cycling', price: [20, 150], options: [g('size', ['small', 'medium', 'large'], 2, 3), COLOR], attributes: ['adjustable fit', 'ventilated'] },
      { query: 'fishing rod', noun: 'Fishing Rod Combo', sub: 'fishing', price: [25, 250], options: [g('size', ['5 feet', '6 feet', '7 feet', '8 feet'], 2, 4)], attributes: ['carbon fiber', 'saltwater'] },
      { query: 'insulated cooler', noun: 'Insulated Cooler', sub: 'camping', price: [25, 350], options: [g('size', ['20 quart', '45 quart', '65 quart'], 2, 3), COLOR], attributes: ['ice retention'] },
    ],
  },
];

/** Title adjectives (never goal attributes), to vary titles. */
export const TITLE_FLOURISHES = ['Premium', 'Classic', 'Everyday', 'Deluxe', 'Essential', 'Signature', 'Pro', 'Ultra', 'Original', 'Select'];

export const REVIEW_OPENERS = [
  'Exactly as described.', 'Great value for the price.', 'Works well so far.', 'Not bad, but not great.',
  'I would buy this again.', 'Arrived quickly and well packed.', 'Quality could be better.', 'Love it!',
  'Does the job.', 'Better than I expected.',
];

/** All product types, flattened with their department (stable order). */
export const PRODUCT_TYPES: readonly (ProductTypeDef & { department: DepartmentDef })[] = DEPARTMENTS.flatMap((d) =>
  d.types.map((t) => ({ ...t, department: d })),
);
