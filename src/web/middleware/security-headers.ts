// Security headers on every response: a strict CSP (no inline script), no framing, no sniffing.
import { secureHeaders } from 'hono/secure-headers'

export const securityHeaders = (options: { hsts: boolean }) =>
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:', 'https://avatars.githubusercontent.com'],
      connectSrc: ["'self'"],
      // Sign-in submits a form that redirects to GitHub.
      formAction: ["'self'", 'https://github.com'],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      objectSrc: ["'none'"],
    },
    xFrameOptions: 'DENY',
    referrerPolicy: 'strict-origin-when-cross-origin',
    xContentTypeOptions: 'nosniff',
    strictTransportSecurity: options.hsts ? 'max-age=31536000; includeSubDomains' : false,
    crossOriginEmbedderPolicy: false,
    // A handler's own header wins: file downloads send a stricter, sandboxing CSP of their own.
    overwrite: false,
  })
