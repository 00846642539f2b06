# One image for every part; docker-compose.yml picks the command (iot-server, mock-odoo-com or iot-box).
FROM python:3.11-slim-bookworm
ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY . /app
RUN pip install . && useradd --system --home /data iot && mkdir -p /data && chown iot /data
USER iot
EXPOSE 8069 8070 8080 8443 5353/udp
