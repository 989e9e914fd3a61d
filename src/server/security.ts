import helmet from 'helmet';
import { RequestHandler } from 'express';

/**
 * Security headers (helmet) with a Content-Security-Policy that lets the page load and
 * fetch only its own files: no inline script or style, no other origin. HSTS and
 * upgrade-insecure-requests are off because jiansuo itself speaks plain HTTP (a
 * TLS-terminating proxy in front of it should set them), and with them a browser
 * would refuse the page on a LAN address.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    strictTransportSecurity: false,
  });
}
