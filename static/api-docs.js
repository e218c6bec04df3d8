// Starts Swagger UI on the API reference page, on the document named by its data-spec attribute.
window.addEventListener('DOMContentLoaded', () => {
  const element = document.getElementById('swagger-ui')
  if (!element || !window.SwaggerUIBundle) return
  window.SwaggerUIBundle({
    url: element.dataset.spec,
    domNode: element,
    deepLinking: true,
    tryItOutEnabled: false,
  })
})
