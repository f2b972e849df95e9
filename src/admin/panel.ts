import AdminJS from 'adminjs';
import AdminJSExpress from '@adminjs/express';
import express from 'express';
import session, { type SessionOptions } from 'express-session';
import { Database, Resource } from '@adminjs/sequelize';
import { getConfig } from '../config/index.js';
import { dashboardHandler } from './dashboard.handler.js';
import { authenticateAdmin, SIGN_IN_LOCKED_MESSAGE } from './auth.js';
import { panelErrorHandlers, panelFormidableOptions, refuseLargeBodies } from './body-limits.js';
import { branding } from './branding.js';
import { componentLoader, Components } from './component-loader.js';
import { createSessionStore, SESSION_TTL_MS } from './session-store.js';
import { checkPanelSession } from './panel-session.js';
import { refuseUnknownTargets } from './not-found.js';
import { productResource } from './resources/product.resource.js';
import { supplierResource } from './resources/supplier.resource.js';
import { stockMovementResource } from './resources/stock-movement.resource.js';
import { stockAlertResource } from './resources/stock-alert.resource.js';
import { saleResources } from './resources/sale.resource.js';
import { purchaseResources } from './resources/purchase.resource.js';
import { storefrontResources } from './resources/storefront.resource.js';
import { userResource } from './resources/user.resource.js';
import { customerResource } from './resources/customer.resource.js';
import { settingResource } from './resources/setting.resource.js';
import { auditLogResource } from './resources/audit-log.resource.js';
import { mailOutboxResource } from './resources/mail-outbox.resource.js';
import { locationResource } from './resources/location.resource.js';
import { transferResource } from './resources/transfer.resource.js';
import { stockCountResource } from './resources/stock-count.resource.js';
import type { AdminPanel } from './index.js';
import type { PanelPlugins } from './plugins.js';

AdminJS.registerAdapter({ Database, Resource });

export const ROOT_PATH = '/admin';
const COOKIE_NAME = 'stockpilot.sid';

export function createAdminJS(plugins: PanelPlugins): AdminJS {
  const { features } = plugins;
  return new AdminJS({
    rootPath: ROOT_PATH,
    loginPath: `${ROOT_PATH}/login`,
    logoutPath: `${ROOT_PATH}/logout`,
    componentLoader,
    branding,
    dashboard: { component: Components.Dashboard, handler: dashboardHandler },
    pages: plugins.pages,
    settings: { defaultPerPage: 20 },
    locale: {
      language: 'en',
      translations: {
        en: {
          actions: { adjustStock: 'Adjust stock', recordSale: 'Record sale', cancelSale: 'Cancel sale', receivePurchase: 'Receive', cancelPurchase: 'Cancel purchase', exportCsv: 'Export CSV', downloadInvoice: 'Invoice PDF', shipOrder: 'Ship', deliverOrder: 'Deliver', cancelOrder: 'Cancel', newTransfer: 'New transfer', transferStock: 'Transfer', transferFrom: 'Transfer from here', shipTransfer: 'Ship', receiveTransfer: 'Receive', cancelTransfer: 'Cancel transfer', newCount: 'New count', enterCounts: 'Enter counts', reviewCount: 'Review and post', cancelCount: 'Cancel count' },
          properties: {
            ledger: 'Stock ledger (latest movements)',
            image: 'Image',
            imageFile: 'Image',
            supplierId: 'Supplier',
            productId: 'Product',
            userId: 'User',
            saleId: 'Sale',
            purchaseId: 'Purchase',
            orderId: 'Order',
            orders: 'Orders (latest first)',
            locationId: 'Location',
            fromLocationId: 'From',
            toLocationId: 'To',
            stockByLocation: 'Stock by location',
            stockHere: 'Stock held here',
            transferLines: 'Lines',
            countLines: 'Lines',
          },
          pages: { aiInsights: 'AI insights' },
          labels: { customers: 'Customers', mail_outbox: 'Mail outbox' },
          messages: { tooManyRequests: SIGN_IN_LOCKED_MESSAGE },
          resources: { orders: { properties: { userId: 'Customer' } } },
          components: { Login: { welcomeHeader: 'StockPilot back office', welcomeMessage: 'Sign in with your back-office account.' } },
        },
      },
    },
    resources: [
      productResource(features.products),
      supplierResource(features.suppliers),
      stockMovementResource(features.stockMovements),
      stockAlertResource(),
      locationResource(features.locations),
      transferResource(features.transfers),
      stockCountResource(features.stockCounts),
      ...saleResources(features.sales),
      ...purchaseResources(features.purchases),
      customerResource(),
      ...storefrontResources(features.orders),
      userResource(),
      settingResource(),
      auditLogResource(features.auditLogs),
      mailOutboxResource(),
    ],
  });
}

export function createPanel({ prebuilt, plugins }: { prebuilt: boolean; plugins: PanelPlugins }): AdminPanel {
  const config = getConfig();
  const admin = createAdminJS(plugins);
  // @adminjs/express starts its own initialize() without waiting; share one bundling run with ready().
  const bundled = prebuilt ? Promise.resolve() : admin.initialize();
  admin.initialize = () => bundled;
  const store = createSessionStore();
  const sessionOptions: SessionOptions = {
    name: COOKIE_NAME,
    secret: config.sessionSecret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: config.isProduction,
    cookie: { httpOnly: true, sameSite: 'lax', secure: config.isProduction && config.appUrl.startsWith('https:'), maxAge: SESSION_TTL_MS },
  };
  const auth = { authenticate: authenticateAdmin, cookieName: COOKIE_NAME, cookiePassword: config.sessionSecret };
  // The predefined router's middleware runs before AdminJS's own: large bodies are refused unread, then the
  // session opens here (AdminJS's session middleware, with the same options, then skips the request), is checked
  // against its user, and requests naming unknown resources, actions, records or pages answer 404, to signed-in users only.
  const predefined = express.Router().use(refuseLargeBodies, session(sessionOptions), checkPanelSession, refuseUnknownTargets(admin));
  const router = AdminJSExpress.buildAuthenticatedRouter(admin, auth, predefined, sessionOptions, panelFormidableOptions());
  for (const pluginRouter of plugins.routers(admin)) router.use(pluginRouter);
  router.use(panelErrorHandlers);
  return {
    router,
    prebuilt,
    ready: () => bundled,
    close: () => store.stopExpiringSessions(),
  };
}
