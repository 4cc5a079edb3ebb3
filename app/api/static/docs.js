// Starts Swagger UI on the API reference page (/api/v1/docs). The address of
// the OpenAPI document comes from the page, so no script is inline (CSP).
window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-spec-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: false,
    tryItOutEnabled: false
  });
});
