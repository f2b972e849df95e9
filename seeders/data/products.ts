export interface ProductSeed {
  name: string;
  category: string;
  /** Index into SUPPLIERS. */
  supplier: number;
  price: number;
  costPrice: number;
  /** Typical units sold per day (drives the generated history). */
  dailyDemand: number;
  lowStockThreshold?: number;
  reorderQuantity?: number;
  unit?: string;
  description: string;
}

const p = (
  name: string,
  category: string,
  supplier: number,
  price: number,
  costPrice: number,
  dailyDemand: number,
  description: string,
  extra: Partial<ProductSeed> = {},
): ProductSeed => ({ name, category, supplier, price, costPrice, dailyDemand, description, ...extra });

export const PRODUCTS: ProductSeed[] = [
  p('Router A1', 'Networking', 1, 59.0, 34.5, 6, 'Dual-band Wi-Fi 6 router for small offices.', { lowStockThreshold: 15, reorderQuantity: 60 }),
  p('Mesh Node M2', 'Networking', 1, 89.0, 52.0, 2, 'Add-on mesh node for the Router A1.'),
  p('8-Port Gigabit Switch', 'Networking', 1, 34.99, 19.8, 3, 'Unmanaged desktop switch, metal case.'),
  p('24-Port Managed Switch', 'Networking', 1, 219.0, 141.0, 0.4, 'Layer 2 managed switch with VLAN support.', { lowStockThreshold: 3 }),
  p('Cat6 Patch Cable 2m', 'Networking', 1, 4.99, 1.35, 12, 'Snagless Cat6 patch cable, blue.', { lowStockThreshold: 50, reorderQuantity: 300 }),
  p('Cat6 Patch Cable 5m', 'Networking', 1, 7.49, 2.1, 6, 'Snagless Cat6 patch cable, grey.', { lowStockThreshold: 30, reorderQuantity: 200 }),
  p('USB-C Ethernet Adapter', 'Networking', 7, 19.99, 8.4, 2, 'Gigabit adapter for laptops.'),
  p('Wi-Fi Range Extender', 'Networking', 1, 39.0, 21.0, 1.5, 'Plug-in extender with pass-through socket.'),
  p('Wireless Mouse', 'Electronics', 7, 24.99, 9.9, 5, 'Silent-click wireless mouse, 18-month battery.', { lowStockThreshold: 20 }),
  p('Mechanical Keyboard', 'Electronics', 7, 79.0, 41.0, 1.8, 'Tenkeyless keyboard with brown switches.'),
  p('27" 4K Monitor', 'Electronics', 0, 329.0, 238.0, 0.9, 'IPS panel, USB-C with 65 W charging.', { lowStockThreshold: 4 }),
  p('24" Full HD Monitor', 'Electronics', 0, 139.0, 96.0, 1.2, 'Slim bezel monitor with HDMI and DisplayPort.'),
  p('USB-C Docking Station', 'Electronics', 0, 149.0, 92.0, 1.1, 'Dual display dock with 100 W pass-through.'),
  p('Noise-Cancelling Headset', 'Electronics', 7, 119.0, 68.0, 1.3, 'Bluetooth headset with boom mic.'),
  p('HD Webcam', 'Electronics', 7, 49.0, 24.0, 1.6, '1080p webcam with privacy shutter.'),
  p('Portable SSD 1TB', 'Electronics', 0, 89.99, 58.0, 1.4, 'USB 3.2 portable drive.'),
  p('Laser Printer', 'Electronics', 0, 199.0, 139.0, 0.5, 'Mono laser printer, duplex, Wi-Fi.', { lowStockThreshold: 3 }),
  p('Printer Toner Cartridge', 'Electronics', 2, 69.0, 38.0, 1.7, 'High-yield toner for the Laser Printer.'),
  p('Surge Protector 6-Outlet', 'Electronics', 9, 22.5, 10.0, 2, 'Six outlets, 1800 joules.'),
  p('LED Desk Lamp', 'Lighting', 9, 32.0, 14.5, 1.5, 'Dimmable lamp with USB charging port.'),
  p('LED Panel Light 60x60', 'Lighting', 9, 45.0, 23.0, 0.8, 'Ceiling panel, 4000 K.'),
  p('Smart Bulb E27', 'Lighting', 9, 14.99, 6.2, 3, 'Wi-Fi bulb, warm to cool white.', { lowStockThreshold: 25 }),
  p('A4 Copy Paper (500 sheets)', 'Office', 2, 6.49, 3.9, 14, '80 gsm bright white paper.', { lowStockThreshold: 60, reorderQuantity: 400, unit: 'ream' }),
  p('Ballpoint Pens (12 pack)', 'Office', 2, 4.99, 1.9, 6, 'Blue ink, medium point.', { unit: 'pack' }),
  p('Sticky Notes (12 pads)', 'Office', 2, 8.99, 3.6, 4, '76 x 76 mm, assorted colours.', { unit: 'pack' }),
  p('Lever Arch File', 'Office', 2, 3.49, 1.4, 5, 'A4, 75 mm spine.'),
  p('Desk Organizer', 'Office', 2, 16.0, 7.0, 1, 'Mesh organizer with five compartments.'),
  p('Whiteboard 90x60', 'Office', 2, 54.0, 29.0, 0.5, 'Magnetic dry-erase board with tray.'),
  p('Whiteboard Markers (4 pack)', 'Office', 2, 5.99, 2.2, 3, 'Chisel tip, assorted colours.', { unit: 'pack' }),
  p('Label Maker', 'Office', 2, 39.0, 22.0, 0.6, 'Handheld label printer with QWERTY keys.'),
  p('Ergonomic Office Chair', 'Furniture', 3, 249.0, 151.0, 0.7, 'Mesh back, adjustable lumbar support.', { lowStockThreshold: 4 }),
  p('Standing Desk 140cm', 'Furniture', 3, 429.0, 276.0, 0.35, 'Dual-motor height-adjustable desk.', { lowStockThreshold: 2 }),
  p('Filing Cabinet 3-Drawer', 'Furniture', 3, 159.0, 98.0, 0.3, 'Lockable steel cabinet.'),
  p('Bookshelf 5-Tier', 'Furniture', 3, 89.0, 51.0, 0.4, 'Oak-effect shelving unit.'),
  p('Monitor Arm', 'Furniture', 3, 64.0, 33.0, 0.9, 'Gas-spring arm for 17-32" screens.'),
  p('Footrest', 'Furniture', 3, 29.0, 13.0, 0.6, 'Tilting ergonomic footrest.'),
  p('Espresso Beans 1kg', 'Kitchen', 8, 24.0, 13.5, 3.5, 'Medium roast, single origin.', { lowStockThreshold: 20, unit: 'bag' }),
  p('Filter Coffee 500g', 'Kitchen', 8, 11.5, 5.8, 3, 'Ground filter coffee, dark roast.', { unit: 'bag' }),
  p('Green Tea (100 bags)', 'Kitchen', 8, 9.99, 4.1, 2, 'Japanese sencha tea bags.', { unit: 'box' }),
  p('Electric Kettle', 'Kitchen', 4, 34.0, 16.0, 0.6, '1.7 L stainless steel kettle.'),
  p('Coffee Mugs (6 pack)', 'Kitchen', 4, 21.0, 9.0, 0.8, 'Stoneware mugs, 350 ml.', { unit: 'pack' }),
  p('Water Bottle 750ml', 'Kitchen', 4, 15.0, 6.0, 1.6, 'Insulated steel bottle.'),
  p('Paper Cups (100)', 'Kitchen', 6, 7.5, 3.2, 4, 'Compostable hot cups, 8 oz.', { unit: 'sleeve', lowStockThreshold: 30 }),
  p('Dish Soap 1L', 'Cleaning', 5, 3.99, 1.6, 3, 'Concentrated, lemon scent.'),
  p('Hand Sanitizer 500ml', 'Cleaning', 5, 6.99, 2.7, 4, '70% alcohol gel with pump.', { lowStockThreshold: 25 }),
  p('Disinfectant Wipes (80)', 'Cleaning', 5, 5.49, 2.3, 4.5, 'Multi-surface wipes.', { unit: 'tub', lowStockThreshold: 30 }),
  p('Microfiber Cloths (10)', 'Cleaning', 5, 9.99, 3.8, 1.2, 'Lint-free cleaning cloths.', { unit: 'pack' }),
  p('Trash Bags 60L (50)', 'Cleaning', 5, 8.49, 3.5, 2.5, 'Heavy-duty bin liners.', { unit: 'roll' }),
  p('Floor Cleaner 5L', 'Cleaning', 5, 18.0, 8.2, 0.8, 'Neutral pH floor cleaner.'),
  p('Shipping Box Small (25)', 'Packaging', 6, 17.5, 8.0, 2.5, '20 x 15 x 10 cm, double wall.', { unit: 'bundle', lowStockThreshold: 15 }),
  p('Shipping Box Medium (25)', 'Packaging', 6, 22.5, 10.5, 2, '35 x 25 x 20 cm, double wall.', { unit: 'bundle' }),
  p('Bubble Wrap Roll 50m', 'Packaging', 6, 19.99, 9.0, 1.2, '50 cm wide, small bubbles.', { unit: 'roll' }),
  p('Packing Tape (6 rolls)', 'Packaging', 6, 12.99, 5.0, 3, 'Clear tape, 48 mm x 66 m.', { unit: 'pack' }),
  p('Shipping Labels A6 (500)', 'Packaging', 6, 24.0, 11.0, 1, 'Thermal labels for 4x6 printers.', { unit: 'roll' }),
  p('Padded Envelopes (50)', 'Packaging', 6, 14.5, 6.5, 1.5, 'Kraft envelopes, 220 x 340 mm.', { unit: 'pack' }),
  p('Barcode Scanner', 'Electronics', 7, 79.0, 44.0, 0.4, 'USB/Bluetooth 2D scanner.', { lowStockThreshold: 3 }),
  p('Receipt Printer', 'Electronics', 7, 169.0, 112.0, 0.2, '80 mm thermal receipt printer.', { lowStockThreshold: 2 }),
  p('Cash Drawer', 'Furniture', 3, 99.0, 58.0, 0.15, 'Five-note, eight-coin drawer.'),
  p('Power Bank 20000mAh', 'Electronics', 0, 39.99, 19.0, 1.8, 'USB-C PD power bank.'),
  p('Vintage Typewriter Ribbon', 'Office', 2, 12.0, 5.5, 0, 'Legacy item: no sales in months.'),
  p('Fax Paper Roll', 'Office', 2, 6.0, 2.5, 0, 'Legacy thermal fax paper.'),
];
