/** Word lists the large data set builds product names, suppliers and customers from. */

export const CATEGORY_NOUNS: Readonly<Record<string, readonly string[]>> = {
  Electronics: ['Headphones', 'Webcam', 'Keyboard', 'Mouse', 'Monitor', 'Charger', 'Power Bank', 'Speaker', 'USB Hub', 'Docking Station'],
  Networking: ['Router', 'Switch', 'Access Point', 'Patch Cable', 'Mesh Node', 'Network Adapter', 'Patch Panel', 'Modem'],
  Office: ['Stapler', 'Notebook', 'Binder', 'Desk Organizer', 'Label Maker', 'Whiteboard', 'Pen Set', 'Paper Shredder', 'Calculator'],
  Furniture: ['Office Chair', 'Standing Desk', 'Bookshelf', 'Filing Cabinet', 'Desk Lamp', 'Footrest', 'Monitor Arm', 'Stool'],
  Kitchen: ['Coffee Maker', 'Kettle', 'Mug Set', 'Water Filter', 'Toaster', 'Blender', 'Lunch Box', 'Cutlery Set'],
  Cleaning: ['Hand Sanitizer', 'Surface Cleaner', 'Microfiber Cloth', 'Trash Bags', 'Mop', 'Dish Soap', 'Glass Cleaner'],
  Packaging: ['Shipping Box', 'Bubble Wrap', 'Packing Tape', 'Mailer Bag', 'Stretch Film', 'Label Roll', 'Void Fill'],
  Lighting: ['LED Panel', 'Smart Bulb', 'Floor Lamp', 'Strip Light', 'Flood Light', 'Night Light'],
};

export const BRANDS = ['Acme', 'Nordik', 'Brightline', 'Corvo', 'Helix', 'Lumen', 'Pioneer', 'Quanta', 'Riverstone', 'Sierra', 'Tandem', 'Vantage', 'Westbrook', 'Zenith'];

export const QUALITIES = ['Compact', 'Pro', 'Eco', 'Heavy Duty', 'Classic', 'Slim', 'Premium', 'Essential', 'Max', 'Mini'];

export const USES = ['small offices', 'home offices', 'warehouses', 'retail counters', 'classrooms', 'workshops', 'meeting rooms'];

export const SUPPLIER_WORDS = ['Trading', 'Wholesale', 'Distribution', 'Supply Co.', 'Imports', 'Logistics', 'Partners'];

export const FIRST_NAMES = ['Ava', 'Ben', 'Chloe', 'Daniel', 'Ella', 'Farid', 'Grace', 'Hugo', 'Isla', 'Jonas', 'Kira', 'Liam', 'Maya', 'Noah', 'Olivia', 'Pablo', 'Quinn', 'Rosa', 'Sam', 'Tara'];

export const LAST_NAMES = ['Anders', 'Brooks', 'Costa', 'Dubois', 'Evans', 'Fischer', 'Garcia', 'Hansen', 'Ito', 'Jensen', 'Kowalski', 'Lopez', 'Martin', 'Nowak', 'Okafor', 'Patel', 'Rossi', 'Schmidt', 'Tanaka', 'Weber'];
