// Starts Swagger UI on /docs. It lives here, not inline in the page, so the page's CSP can keep
// `script-src 'self'`; the page says where the OpenAPI document and the OAuth2 redirect are.
"use strict";
(function () {
  const root = document.getElementById("swagger-ui");
  if (!root || typeof SwaggerUIBundle === "undefined") return;
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    oauth2RedirectUrl: window.location.origin + root.dataset.oauth2RedirectUrl,
    presets: [SwaggerUIBundle.presets.apis],
    validatorUrl: null, // the online validator badge would call validator.swagger.io
  });
})();
