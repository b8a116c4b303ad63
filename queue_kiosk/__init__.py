"""The touch-screen ticket kiosk: view-model, Qt window, `queue-kiosk` command, ticket printing."""
